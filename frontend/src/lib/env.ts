/**
 * Build-time settings of the SPA. The API must stay on the page's own origin: the refresh cookie
 * is same-origin only and the production CSP allows `connect-src 'self'`. So the only knob is an
 * optional path prefix (for a deployment under a sub-path), never another host.
 */
export const env = {
  apiBaseUrl: (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, ''),
};
