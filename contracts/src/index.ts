export * from './auth.js';
export * from './chat.js';
export * from './errors.js';
export * from './health.js';
export * from './learning.js';
export * from './realtime.js';
export { adminProviderNameSchema, type AdminProviderName } from './admin-common.js';
export * from './audit.js';
export * from './users.js';
export * from './usage.js';
export * from './settings.js';
export * from './module-admin.js';
export * from './insights.js';
export * from './retrieval.js';
export * from './roster.js';
export * from './exercises.js';
export * from './system.js';
// Plain helpers with no schema (slugify, the bridge protocol) have their own entry points,
// `@hintbook/contracts/slugify` and `/workspace-bridge`: re-exported here, a helper only the
// admin panel uses made the SPA's bundler split its first chunk (see frontend/src/zod-config.ts).
