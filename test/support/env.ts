/**
 * Test environment switches (contract.md "npm test"):
 * - browser tests skip with a clear line where no Chromium is installed, unless REQUIRE_BROWSER=1;
 * - PostgreSQL / Redis tests run when TEST_DATABASE_URL / TEST_REDIS_URL are set, and fail rather
 *   than skip when REQUIRE_SERVICES=1.
 */
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const requireBrowser = process.env.REQUIRE_BROWSER === '1';
export const requireServices = process.env.REQUIRE_SERVICES === '1';
export const testDatabaseUrl = process.env.TEST_DATABASE_URL;
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** True when browser tests should run; throws when they are required but Chromium is missing. */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (requireBrowser)
    throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`);
  console.warn(
    `[skip] browser tests: no Chromium at ${chromiumPath} (set CHROMIUM_PATH or install chromium)`,
  );
  return false;
}

/** True when the PostgreSQL suite should run; throws when required but TEST_DATABASE_URL is unset. */
export function postgresAvailable(): boolean {
  if (testDatabaseUrl) return true;
  if (requireServices) throw new Error('REQUIRE_SERVICES=1 but TEST_DATABASE_URL is not set');
  console.warn('[skip] PostgreSQL tests: TEST_DATABASE_URL is not set');
  return false;
}

/** True when the Redis suite should run; throws when required but TEST_REDIS_URL is unset. */
export function redisAvailable(): boolean {
  if (testRedisUrl) return true;
  if (requireServices) throw new Error('REQUIRE_SERVICES=1 but TEST_REDIS_URL is not set');
  console.warn('[skip] Redis tests: TEST_REDIS_URL is not set');
  return false;
}
