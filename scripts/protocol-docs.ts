/**
 * `npm run docs:protocol`: writes docs/protocol-schema.md, the socket messages as the zod schemas of
 * `@smartsession/protocol` define them (a field table and the JSON Schema of each message, from
 * `z.toJSONSchema`). `--check` exits 1 when the file differs from what the schemas give (a test does
 * the same). docs/protocol.md explains what the messages mean; this file is their exact shape.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { z } from 'zod';
import {
  Accommodations,
  AlertRecord,
  ErrorInfo,
  FrameResult,
  Handshake,
  LIMITS,
  Marker,
  MESSAGE_EVENT,
  PROTOCOL_VERSION,
  Reason,
  Sample,
  ServerToStudentMessage,
  ServerToTeacherMessage,
  SessionSettings,
  StudentClientMessage,
  StudentState,
} from '@smartsession/protocol';

/** Where the generated page lives. */
export const PROTOCOL_SCHEMA_DOC = fileURLToPath(new URL('../docs/protocol-schema.md', import.meta.url));

type Json = { [k: string]: unknown };

/** Types several messages share: documented once, referred to by name (`$ref`) in the messages. */
const SHARED: Record<string, z.ZodType> = {
  SessionSettings,
  Accommodations,
  Reason,
  FrameResult,
  StudentState,
  AlertRecord,
  Marker,
  Sample,
  ErrorInfo,
};

/** A JSON Schema in a few words: `string`, `"a" \| "b"`, `T[]`, a link to a shared type. */
function typeOf(s: Json): string {
  if (typeof s.$ref === 'string') return `[${s.$ref.replace(/^\w+-/, '')}](#${s.$ref.toLowerCase()})`;
  if ('const' in s) return code(JSON.stringify(s.const));
  if (Array.isArray(s.enum)) return s.enum.map((v) => code(JSON.stringify(v))).join(' | ');
  const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map(typeOf).join(' | ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  if (types.includes('array') && s.items) {
    const item = typeOf(s.items as Json);
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  return code(types.length > 0 ? types.join(' | ') : 'any');
}
const code = (t: string) => `\`${t}\``;

/** The bounds of a JSON Schema, in words. */
function boundsOf(s: Json): string {
  const out: string[] = [];
  const safe = (n: unknown) => typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  if (safe(s.minimum)) out.push(`≥ ${String(s.minimum)}`);
  if (safe(s.exclusiveMinimum)) out.push(`> ${String(s.exclusiveMinimum)}`);
  if (safe(s.maximum)) out.push(`≤ ${String(s.maximum)}`);
  if (safe(s.exclusiveMaximum)) out.push(`< ${String(s.exclusiveMaximum)}`);
  if (s.minLength !== undefined) out.push(`length ≥ ${String(s.minLength)}`);
  if (s.maxLength !== undefined) out.push(`length ≤ ${String(s.maxLength)}`);
  if (s.minItems !== undefined) out.push(`items ≥ ${String(s.minItems)}`);
  if (s.maxItems !== undefined) out.push(`items ≤ ${String(s.maxItems)}`);
  if (s.format) out.push(String(s.format));
  if (s.type === 'object' && s.properties) out.push('object, see the schema');
  return out.join(', ');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One schema: its field table and its JSON Schema. */
function section(title: string, json: Json): string {
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  const rows = Object.entries(props).map(
    ([name, p]) =>
      `| \`${name}\` | ${cell(typeOf(p))} | ${required.has(name) ? 'yes' : 'no'} | ${cell(boundsOf(p))} |`,
  );
  const table =
    rows.length > 0
      ? ['| field | type | required | bounds |', '| --- | --- | --- | --- |', ...rows, '']
      : [`A ${typeOf(json)}.`, ''];
  return [
    `### ${title}`,
    '',
    ...table,
    '<details><summary>JSON Schema</summary>',
    '',
    '```json',
    JSON.stringify(json, null, 2),
    '```',
    '',
    '</details>',
    '',
  ].join('\n');
}

/**
 * The JSON Schemas of `schemas` (by id), the {@link SHARED} types among them as `$ref`s by name.
 * `input`: what a sender may write (client messages); `output`: what the server writes.
 */
function jsonSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...SHARED, ...schemas }))
    if (!registry.has(schema)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => id }).schemas;
  const strip = (j: Json): Json => {
    const { $schema: _schema, $id: _id, ...rest } = j;
    return rest;
  };
  return Object.fromEntries(Object.entries(out).map(([id, j]) => [id, strip(j as Json)]));
}

/** The members of a discriminated union, each titled (and linked) by its discriminator value. */
function union(u: z.ZodDiscriminatedUnion<z.ZodType[]>, key: string, io: 'input' | 'output'): string {
  const tagOf = (m: z.ZodType) =>
    String(
      ((z.toJSONSchema(m, { io, unrepresentable: 'any' }).properties ?? {}) as Record<string, Json>)[key]
        ?.const,
    );
  // `type-telemetry`: the anchor of the heading "type: "telemetry"", so a `$ref` to it is a link.
  const members = Object.fromEntries(u.options.map((m) => [`${key}-${tagOf(m)}`, m]));
  const json = jsonSchemas(members, io);
  return Object.entries(members)
    .map(([id, m]) => {
      const name = Object.keys(SHARED).find((k) => SHARED[k] === m) ?? id;
      return section(`\`${key}: "${id.slice(key.length + 1)}"\``, json[name]!);
    })
    .join('\n');
}

/** The shared types, as the server writes them. */
function shared(): string {
  const json = jsonSchemas({}, 'output');
  return Object.keys(SHARED)
    .map((id) => section(id, json[id]!))
    .join('\n');
}

/** The page, formatted as the repository's Prettier settings format Markdown. */
export async function renderProtocolSchemaDoc(): Promise<string> {
  const limits = Object.entries(LIMITS).map(([k, v]) => `| \`${k}\` | ${v} |`);
  const md = [
    '# Socket protocol: message schemas',
    '',
    '<!-- Generated by `npm run docs:protocol` from the zod schemas of packages/protocol. Do not edit by',
    'hand: change the schemas and run it again (a test fails while this file is stale). -->',
    '',
    `Protocol version **${PROTOCOL_VERSION}**. Every message travels, both ways, as the payload of the`,
    `Socket.IO event \`${MESSAGE_EVENT}\`, a JSON object told apart by \`type\`. This page is the exact`,
    'shape of each message, generated from the schemas that check it; [protocol.md](protocol.md) says what',
    'the messages mean and when they are sent. A message that does not match is refused with `BAD_MESSAGE`.',
    '',
    '## Limits (`LIMITS`)',
    '',
    '| limit | value |',
    '| --- | --- |',
    ...limits,
    '',
    '## Handshake (Socket.IO `auth`)',
    '',
    union(Handshake, 'role', 'input'),
    '## Student → server',
    '',
    union(StudentClientMessage, 'type', 'input'),
    '## Server → student',
    '',
    union(ServerToStudentMessage, 'type', 'output'),
    '## Server → teacher',
    '',
    union(ServerToTeacherMessage, 'type', 'output'),
    '## Shared types',
    '',
    shared(),
  ].join('\n');
  const options = (await prettier.resolveConfig(PROTOCOL_SCHEMA_DOC)) ?? {};
  return prettier.format(md, { ...options, parser: 'markdown' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await renderProtocolSchemaDoc();
  if (process.argv.includes('--check')) {
    const current = readFileSync(PROTOCOL_SCHEMA_DOC, 'utf8');
    if (current !== text) {
      console.error('docs/protocol-schema.md is stale: run `npm run docs:protocol`');
      process.exit(1);
    }
  } else {
    writeFileSync(PROTOCOL_SCHEMA_DOC, text);
    console.log(`wrote ${PROTOCOL_SCHEMA_DOC}`);
  }
}
