import { onTestFinished, vi } from 'vitest';

/**
 * jsdom has no blob URLs and does not follow download links: defines the URLs for this test only
 * and hands every clicked link to `onClick` instead. Returns the createObjectURL mock, whose
 * calls hold the blobs saved.
 */
export function stubBlobDownloads(blobUrl: string, onClick: (link: HTMLAnchorElement) => void) {
  const createObjectURL = vi.fn((_blob: Blob) => blobUrl);
  Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
  onTestFinished(() => {
    Reflect.deleteProperty(URL, 'createObjectURL');
    Reflect.deleteProperty(URL, 'revokeObjectURL');
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    onClick(this);
  });
  return createObjectURL;
}
