/**
 * Answers JupyterLite's look-ups of server-side contents (`api/contents/<folder>/all.json`) with
 * an empty listing, in the page, without a request.
 *
 * Hintbook ships no files with the site (the SPA writes each notebook and its data files through
 * the bridge, and our backend is the only durable copy), so there is never such a file. JupyterLite
 * 0.6 still fetches one for every folder it lists, and each miss is a 404 in the console (plus a
 * "don't worry … nothing's broken" warning) in front of students and in every browser test.
 */
const LISTING = /\/api\/contents\/(?:.+\/)?all\.json$/;
const MARK = Symbol.for('hintbook.noServerContents');

export function answerServerContentsLocally(baseUrl: string): void {
  const scope = globalThis as unknown as { fetch: typeof fetch } & Record<symbol, boolean>;
  if (scope[MARK]) {
    return;
  }
  const base = new URL(baseUrl, location.href);
  const nativeFetch = scope.fetch.bind(globalThis);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : 'GET')
    ).toUpperCase();
    if (
      method === 'GET' &&
      url.origin === base.origin &&
      url.pathname.startsWith(base.pathname) &&
      LISTING.test(url.pathname)
    ) {
      return Promise.resolve(
        new Response('{"content":[]}', { headers: { 'Content-Type': 'application/json' } }),
      );
    }
    return nativeFetch(input, init);
  };
  scope[MARK] = true;
}
