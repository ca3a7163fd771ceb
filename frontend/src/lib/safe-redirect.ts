/**
 * The path to return to after signing in, taken from `?next=`. Only same-origin paths pass, so a
 * crafted link cannot bounce a fresh session to another site (`//evil.example`, `/\evil`, URLs).
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines inside URLs, which turns "/\t/evil.example" into "//evil…".
  if ([...raw].some((char) => char.charCodeAt(0) < 0x20)) return '/';
  return raw;
}
