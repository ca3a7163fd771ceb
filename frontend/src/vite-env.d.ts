/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional path prefix of the API on this origin; empty means the API is served at /api. */
  readonly VITE_API_BASE_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
