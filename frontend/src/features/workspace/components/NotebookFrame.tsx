import type { RefObject } from 'react';

interface NotebookFrameProps {
  frameRef: RefObject<HTMLIFrameElement | null>;
  /** Null until the page listens for the bridge: the iframe loads only then. */
  src: string | null;
  title: string;
  isHidden: boolean;
}

/**
 * The JupyterLite app. Same origin as the SPA (nginx serves /jupyterlite/), so no sandbox
 * attribute: the kernel needs workers, storage and cross-origin isolation. `allow` keeps the
 * isolation working should JupyterLite move to its own origin.
 */
export function NotebookFrame({ frameRef, src, title, isHidden }: NotebookFrameProps) {
  return (
    <iframe
      ref={frameRef}
      className={isHidden ? 'notebook-frame notebook-frame-loading' : 'notebook-frame'}
      title={`Notebook: ${title}`}
      src={src ?? undefined}
      allow="cross-origin-isolated"
    />
  );
}
