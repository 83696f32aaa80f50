/**
 * [issue 13] docs/protocol-schema.md is generated from the zod message schemas (`npm run docs:protocol`):
 * this fails while the file differs from what the schemas give, so a schema change ships with its docs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_SCHEMA_DOC, renderProtocolSchemaDoc } from '../scripts/protocol-docs.js';

describe('[issue 13] generated socket protocol docs', () => {
  it('docs/protocol-schema.md matches the schemas (run `npm run docs:protocol` after a change)', async () => {
    const expected = await renderProtocolSchemaDoc();
    const current = readFileSync(PROTOCOL_SCHEMA_DOC, 'utf8');
    expect(current === expected, 'docs/protocol-schema.md is stale: run `npm run docs:protocol`').toBe(true);
  });

  it('documents every message of every direction, with its fields', async () => {
    const md = await renderProtocolSchemaDoc();
    for (const heading of [
      '`role: "student"`',
      '`type: "telemetry"`',
      '`type: "batch"`',
      '`type: "welcome"`',
      '`type: "hold"`',
      '`type: "snapshot"`',
      '`type: "service"`',
      'StudentState',
    ])
      expect(md).toContain(`### ${heading}\n`);
    expect(md).toMatch(/\| `seq` +\| `integer` +\| yes +\| ≥ 1 /);
  });
});
