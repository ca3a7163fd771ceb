/** Every table, so Drizzle's relational queries and drizzle-kit see one schema. */
export * from './admin.js';
export * from './auth.js';
export * from './chat.js';
export * from './learning.js';
export * from './pedagogy.js';
export * from './usage.js';
export * from './users.js';
export * from './retrieval.js';
export * from './insights.js';
export * from './roster.js';
export * from './privacy.js';
export * from './exercises.js';
