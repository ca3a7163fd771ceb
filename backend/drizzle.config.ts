import { defineConfig } from 'drizzle-kit';

// Generates SQL into the top-level migrations/ folder; never edit generated files by hand.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: '../migrations',
  casing: 'snake_case',
  strict: true,
  verbose: true,
});
