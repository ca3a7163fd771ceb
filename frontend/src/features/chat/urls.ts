/**
 * Keeps a link only if it is relative or http(s). Everything else (`javascript:`, `data:`,
 * `vbscript:`, `file:`...) is dropped, and the link renders as plain text.
 */
export function safeUrl(url: string): string | null {
  const trimmed = url.trim();
  if (trimmed === '') return null;
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so
  // judge the URL the way the browser would parse it.
  try {
    const parsed = new URL(trimmed, 'https://relative.invalid/');
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  } catch {
    return null;
  }
  return trimmed;
}
