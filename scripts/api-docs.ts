/**
 * Writes docs/api.md from the OpenAPI document the server serves at /api/openapi.json (made from the
 * command table): `npm run docs:api`. `--check` writes nothing and fails when the file is out of date.
 * tests/api-docs.test.ts fails too, so the reference cannot drift from the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_STATUS, type ErrorCode } from '../realtime/vocabulary.js';
import { openApiDocument } from '../server/transport/openapi/document.js';
import { EXTRA_OPERATIONS } from '../server/transport/openapi/operations.js';
import type { JsonSchema, OpenApiDocument, Operation } from '../server/transport/openapi/types.js';

export const API_DOCS_PATH = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'api.md');

/** The code of each status; where two share one (FORBIDDEN, SUSPENDED), the first, and the description names the other. */
const CODE_OF = Object.fromEntries((Object.keys(ERROR_STATUS) as ErrorCode[]).reverse().map((code) => [String(ERROR_STATUS[code]), code])) as Record<string, ErrorCode>;
const WHO: Record<string, string> = {
  anyone: 'anyone',
  participant: 'participant',
  member: 'member',
  moderator: 'moderator+',
  facilitator: 'facilitator+',
  admin: 'admin',
};

/** GitHub's anchor for a heading. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)].join('\n');
const code = (text: string) => '`' + text + '`';
const literal = (value: unknown) => code(typeof value === 'string' && value !== '' ? value : JSON.stringify(value));
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const typeLink = (name: string) => `[${name}](#${slug(name)})`;

/** A compact, TypeScript-like reading of a schema, with named types linked. */
export function typeText(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') return typeLink(refName(schema.$ref));
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeText).join(' | ');
  if (Array.isArray(schema.allOf)) return (schema.allOf as JsonSchema[]).map(typeText).join(' & ');
  if (Array.isArray(schema.type)) return (schema.type as string[]).map((type) => typeText({ ...schema, type })).join(' | ');
  switch (schema.type) {
    case 'array': {
      const item = typeText((schema.items ?? {}) as JsonSchema);
      return (item.includes(' | ') ? `(${item})` : item) + '[]';
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const names = Object.keys(properties);
      if (names.length) return `{ ${names.map((name) => `${name}${required.includes(name) ? '' : '?'}: ${typeText(properties[name]!)}`).join(', ')} }`;
      if (typeof schema.additionalProperties === 'object') {
        const keys = (schema.propertyNames as JsonSchema | undefined)?.enum as unknown[] | undefined;
        return `{ [${keys ? keys.map(literal).join(' | ') : 'string'}]: ${typeText(schema.additionalProperties as JsonSchema)} }`;
      }
      return '{}';
    }
    case 'integer':
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
      return schema.type;
    default:
      return 'any';
  }
}

const range = (min: unknown, max: unknown, unit: string) => {
  const u = unit ? ` ${unit}` : '';
  if (typeof min === 'number' && typeof max === 'number') return min === max ? `${min}${u}` : `${min}\u2013${max}${u}`;
  if (typeof min === 'number') return `\u2265 ${min}${u}`;
  if (typeof max === 'number') return `\u2264 ${max}${u}`;
  return null;
};

/** The rules a value must meet, in words. */
export function constraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const length = range(schema.minLength, schema.maxLength, 'characters');
  if (length) notes.push(length);
  const bounds = range(schema.minimum, schema.maximum, '');
  if (bounds) notes.push(bounds);
  const items = range(schema.minItems, schema.maxItems, 'items');
  if (items) notes.push(items);
  if (schema.pattern === '^[0-9a-f]{24}$') notes.push('an id: 24 hex digits');
  else if (typeof schema.pattern === 'string') notes.push(`matches ${code(schema.pattern)}`);
  if (schema.format === 'email') notes.push('an e-mail address');
  else if (typeof schema.format === 'string') notes.push(`format ${schema.format}`);
  if ('default' in schema && (typeof schema.default !== 'object' || schema.default === null)) notes.push(`default ${literal(schema.default)}`);
  for (const part of (schema.anyOf ?? []) as JsonSchema[]) notes.push(...constraints(part));
  if (schema.type === 'array' && schema.items) notes.push(...constraints(schema.items as JsonSchema).map((note) => `each ${note}`));
  if (typeof schema.description === 'string') notes.unshift(schema.description);
  return notes;
}

function fieldRows(properties: Record<string, JsonSchema>, required: string[], where?: string): string[][] {
  return Object.entries(properties).map(([name, schema]) => [
    code(name),
    ...(where ? [where] : []),
    typeText(schema),
    required.includes(name) ? 'yes' : '',
    constraints(schema).join('; '),
  ]);
}

function objectOf(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  return { properties: (schema.properties ?? {}) as Record<string, JsonSchema>, required: (schema.required ?? []) as string[] };
}

function operationSection(method: string, path: string, op: Operation): string {
  const lines = [`### ${code(`${method.toUpperCase()} ${path}`)}`, ''];
  const also = op['x-socket'] ? ' \u00b7 also a [socket command](#socketio-commands)' : '';
  const command = (EXTRA_OPERATIONS as readonly string[]).includes(op.operationId) ? '' : `${code(op.operationId)} \u2014 `;
  lines.push(`${command}${op.summary}. Caller: **${WHO[op['x-caller']]}**${also}.`, '');
  if (op.description) lines.push(op.description, '');

  const inputs: string[][] = [];
  for (const param of op.parameters ?? []) inputs.push(...fieldRows({ [param.name]: param.schema }, param.required ? [param.name] : [], param.in));
  const body = op.requestBody?.content['application/json'].schema;
  if (body) {
    const { properties, required } = objectOf(body);
    inputs.push(...fieldRows(properties, required, 'body'));
  }
  if (inputs.length) lines.push(table(['input', 'in', 'type', 'required', 'notes'], inputs), '');

  const [success, ...rest] = Object.entries(op.responses);
  const [status, response] = success!;
  const content = response.content ?? {};
  const json = content['application/json']?.schema;
  const answer = json ? typeText(json) : Object.keys(content).length ? code(Object.keys(content)[0]!) : 'no content';
  lines.push(`**${status}**: ${answer}`, '');
  const isError = (value: (typeof rest)[number][1]) => value.content?.['application/json']?.schema.$ref === '#/components/schemas/Error';
  const errors = rest.filter(([key]) => key !== 'default').map(([key, value]) => [key, isError(value) && CODE_OF[key] ? code(CODE_OF[key]) : '', value.description]);
  if (errors.length) lines.push(table(['status', 'code', 'when'], errors), '');
  return lines.join('\n');
}

/** The reference, as docs/api.md holds it. */
export function apiMarkdown(doc: OpenApiDocument = openApiDocument()): string {
  const out: string[] = [];
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const heading = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

  out.push(
    '# API reference',
    '',
    '<!-- Generated by `npm run docs:api` from the command table (realtime/commands.ts, realtime/command-docs.ts, realtime/broadcasts.ts). Do not edit: tests/api-docs.test.ts fails when this file is out of date. -->',
    '',
    `${doc.info.title}. The same, as JSON: ${code('GET /api/openapi.json')} (OpenAPI ${doc.openapi}).`,
    '',
    doc.info.description,
    '',
    'Callers: **anyone** (no session needed), **participant** (any session, guests too), **member** (signed in to an account), **moderator+** (moderators and above), **facilitator+** (facilitators and admins), **admin**.',
    '',
    '## Contents',
    '',
    ...doc.tags.map((tag) => `- [${tag.name}](#${slug(tag.name)}): ${tag.description}`),
    '- [Socket.IO commands](#socketio-commands)',
    '- [Broadcasts](#broadcasts)',
    '- [Types](#types)',
    '',
    '## Routes',
    '',
    table(
      ['route', 'command', 'caller', 'what'],
      doc.tags.flatMap((tag) =>
        operations
          .filter(({ op }) => op.tags.includes(tag.name))
          .map(({ path, method, op }) => [
            `[${code(heading(method, path))}](#${slug(heading(method, path))})`,
            (EXTRA_OPERATIONS as readonly string[]).includes(op.operationId) ? '\u2014' : code(op.operationId),
            WHO[op['x-caller']]!,
            op.summary,
          ]),
      ),
    ),
    '',
  );

  for (const tag of doc.tags) {
    const ops = operations.filter(({ op }) => op.tags.includes(tag.name));
    if (!ops.length) continue;
    out.push(`## ${tag.name}`, '', `${tag.description}`, '');
    for (const { path, method, op } of ops) out.push(operationSection(method, path, op));
  }

  const socket = doc['x-socket-io'];
  out.push('## Socket.IO commands', '', socket.description, '');
  out.push(
    table(
      ['command', 'caller', 'payload', 'ack `data`', 'what'],
      Object.entries(socket.commands).map(([name, command]) => {
        const [method, path] = command['x-http']?.split(' ') ?? [];
        const what = [
          `${command.summary}.`,
          ...(command['x-http'] ? [`As [${code(command['x-http'])}](#${slug(heading(method!, path!))}).`] : []),
          ...(command.description && !command['x-http'] ? [command.description] : []),
          ...(!command['x-http'] ? [`Errors: ${Object.keys(command.errors).map(code).join(', ') || 'none'}.`] : []),
        ].join(' ');
        const payload = Object.keys(objectOf(command.input).properties).length ? typeText(command.input) : 'none';
        return [code(name), WHO[command['x-caller']]!, payload, typeText(command.result), what];
      }),
    ),
    '',
  );

  out.push('## Broadcasts', '', 'Events the server emits to sockets; a socket hears them after the commands named (or from the moment it connects).', '');
  out.push(
    table(
      ['event', 'payload', 'to', 'what'],
      Object.entries(socket.broadcasts).map(([name, broadcast]) => [
        code(name),
        broadcast.payload ? typeText(broadcast.payload) : 'none',
        `${broadcast.to}${broadcast.after.length ? ` After ${broadcast.after.map(code).join(', ')}.` : ''}`,
        broadcast.description,
      ]),
    ),
    '',
  );

  out.push('## Types', '', 'The views the API answers with, from `realtime/schemas/`. A field marked `?` may be absent.', '');
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    out.push(`### ${name}`, '');
    const { properties, required } = objectOf(schema);
    if (schema.type === 'object' && Object.keys(properties).length) {
      out.push(table(['field', 'type', 'notes'], Object.entries(properties).map(([field, s]) => [code(field + (required.includes(field) ? '' : '?')), typeText(s), constraints(s).join('; ')])), '');
    } else out.push(typeText(schema), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const markdown = apiMarkdown();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(API_DOCS_PATH, 'utf8');
    } catch {}
    if (current !== markdown) {
      console.error('docs/api.md is out of date: run `npm run docs:api`.');
      process.exit(1);
    }
    console.log('docs/api.md is up to date.');
  } else {
    writeFileSync(API_DOCS_PATH, markdown);
    console.log(`Wrote ${API_DOCS_PATH}.`);
  }
}
