/** Every table, so Drizzle's relational queries and drizzle-kit see one schema. */
export * from './auth.js';
export * from './users.js';
