/** Which parent origins may drive the bridge, read from the runtime `jupyter-lite.json`. */
import { PageConfig } from '@jupyterlab/coreutils';

export interface BridgeSettings {
  /** Exact origins (`https://host[:port]`) the bridge accepts requests from and posts to. */
  allowedOrigins: string[];
}

/**
 * `jupyter-config-data.hintbookBridge.allowedOrigins` lists the parent origins; an empty or
 * missing list means the lite site's own origin (JupyterLite is served from the SPA's origin).
 * Editing `jupyter-lite.json` is enough: no rebuild.
 */
export function readBridgeSettings(ownOrigin: string): BridgeSettings {
  const raw = PageConfig.getOption('hintbookBridge');
  let configured: unknown = [];
  if (raw) {
    try {
      configured = (JSON.parse(raw) as { allowedOrigins?: unknown }).allowedOrigins ?? [];
    } catch {
      console.error('hintbook-bridge: hintbookBridge in jupyter-lite.json is not valid JSON');
    }
  }
  const origins = Array.isArray(configured)
    ? configured.filter((value): value is string => typeof value === 'string')
    : [];
  const valid = origins.filter((origin) => {
    // An origin has no path and no wildcard; `*` would let any page drive the workspace.
    try {
      return new URL(origin).origin === origin;
    } catch {
      return false;
    }
  });
  if (valid.length !== origins.length) {
    console.error('hintbook-bridge: ignoring invalid allowedOrigins entries', origins);
  }
  return { allowedOrigins: valid.length > 0 ? valid : [ownOrigin] };
}
