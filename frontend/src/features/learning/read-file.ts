/** A chosen file's text (for .ipynb uploads). */
export function readFileText(file: File): Promise<string> {
  return file.text();
}

/** A chosen file's bytes as base64, for the JSON upload of data files. */
export async function readFileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let index = 0; index < bytes.length; index += chunk) {
    binary += String.fromCharCode(...bytes.subarray(index, index + chunk));
  }
  return btoa(binary);
}

/** A title suggested from a file name: `01-loops.ipynb` → `01 loops`. */
export function titleFromFilename(name: string): string {
  return name
    .replace(/\.ipynb$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
}
