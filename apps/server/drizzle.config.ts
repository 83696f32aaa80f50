import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (from apps/server) writes the SQL migrations into ./drizzle.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
