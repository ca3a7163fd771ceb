/**
 * The token of an emailed link rides in the URL fragment (`#token=…`), which browsers never send
 * to a server or in a Referer header. Read once, then removed from the address bar so it does not
 * linger in history or get shared by copy-paste.
 */
export function takeLinkToken(name = 'token'): string | null {
  const token = new URLSearchParams(window.location.hash.replace(/^#/, '')).get(name);
  if (token) {
    window.history.replaceState(window.history.state, '', window.location.pathname);
  }
  return token;
}
