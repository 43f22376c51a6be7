import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BROADCASTS } from '../realtime/broadcasts.js';
import { COMMANDS, type CommandName, type HttpRoute } from '../realtime/commands.js';
import { API_DOCS_PATH, apiMarkdown } from '../scripts/api-docs.js';
import { SESSION_COOKIE } from '../server/accounts/sign-in-sessions.js';
import { openApiDocument, SESSION_COOKIE_NAME } from '../server/transport/openapi/document.js';
import { EXTRA_OPERATIONS, openApiPath } from '../server/transport/openapi/operations.js';
import { objectFields } from '../server/transport/openapi/schemas.js';
import type { JsonSchema, Operation } from '../server/transport/openapi/types.js';
import { startTestBoard, type TestBoard } from './harness.js';

const doc = openApiDocument();
const names = Object.keys(COMMANDS) as CommandName[];
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
const commandOperations = operations.filter(({ op }) => !(EXTRA_OPERATIONS as readonly string[]).includes(op.operationId));

describe('the API reference', () => {
  it('docs/api.md is what the table makes of it', () => {
    const committed = readFileSync(API_DOCS_PATH, 'utf8');
    // Not toEqual on the whole text: a failure would print two copies of a long file.
    expect(committed === apiMarkdown(doc), 'docs/api.md is out of date: run `npm run docs:api` and commit it').toBe(true);
  });

  it('lists every REST route of the table, and nothing else but the few routes that are no command', () => {
    const routes = names.flatMap((name) => {
      const spec = COMMANDS[name];
      return 'http' in spec ? [`${(spec.http as HttpRoute).method} ${openApiPath((spec.http as HttpRoute).path)} ${name}`] : [];
    });
    expect(commandOperations.map(({ path, method, op }) => `${method.toUpperCase()} ${path} ${op.operationId}`).sort()).toEqual(routes.sort());
    expect(operations.map(({ op }) => op.operationId).filter((id) => !(names as string[]).includes(id)).sort()).toEqual([...EXTRA_OPERATIONS].sort());
    for (const { op } of commandOperations) {
      const spec = COMMANDS[op.operationId as CommandName];
      expect(op['x-caller'], op.operationId).toBe(spec.who);
      expect(op['x-socket'] === true, op.operationId).toBe('socket' in spec);
      expect(op.summary, op.operationId).toMatch(/\S/);
    }
  });

  it('lists every socket command and every broadcast', () => {
    expect(Object.keys(doc['x-socket-io'].commands).sort()).toEqual(names.filter((name) => 'socket' in COMMANDS[name]).sort());
    expect(Object.keys(doc['x-socket-io'].broadcasts).sort()).toEqual(Object.keys(BROADCASTS).sort());
  });

  it('offers every input field of the command where the HTTP adapter reads it, required where the schema requires it', () => {
    for (const { method, op } of commandOperations) {
      const required = new Set([
        ...(op.parameters ?? []).filter((p) => p.required).map((p) => p.name),
        ...objectFields(op.requestBody?.content['application/json'].schema ?? {}).required,
      ]);
      const input = objectFields(z.toJSONSchema(COMMANDS[op.operationId as CommandName].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
      for (const field of input.required) expect(required.has(field), `${op.operationId}: ${field}`).toBe(true);
      const offered = new Set([...(op.parameters ?? []).map((p) => p.name), ...Object.keys(objectFields(op.requestBody?.content['application/json'].schema ?? {}).properties)]);
      expect([...offered].sort(), op.operationId).toEqual(Object.keys(input.properties).sort());
      if (method === 'get' || method === 'delete') expect(op.requestBody, op.operationId).toBeUndefined();
      else expect((op.parameters ?? []).every((p) => p.in === 'path'), op.operationId).toBe(true);
    }
  });

  it('is an OpenAPI 3.1 document: operations answer, path parameters are declared, references resolve', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toMatch(/\S/);
    expect(doc.info.version).toMatch(/\S/);
    expect(SESSION_COOKIE_NAME).toBe(SESSION_COOKIE);
    const tags = new Set(doc.tags.map((tag) => tag.name));
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      expect(path).not.toMatch(/:/);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
        const where = `${method} ${path}`;
        expect(['get', 'put', 'post', 'delete', 'patch'], where).toContain(method);
        expect(ids.has(op.operationId), `${where}: operationId used twice`).toBe(false);
        ids.add(op.operationId);
        for (const tag of op.tags) expect(tags.has(tag), `${where}: tag ${tag}`).toBe(true);
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort(), where).toEqual([...templated].sort());
        expect(declared.every((p) => p.required), where).toBe(true);
        const seen = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
        expect(new Set(seen).size, where).toBe(seen.length);
        const statuses = Object.keys(op.responses);
        expect(statuses.some((status) => /^2\d\d$/.test(status)), where).toBe(true);
        for (const status of statuses) expect(status, where).toMatch(/^([1-5]\d\d|default)$/);
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.description, `${where} ${status}`).toMatch(/\S/);
          if (status === '204') expect(response.content, where).toBeUndefined();
        }
        for (const requirement of op.security) for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes, where).toHaveProperty(scheme);
      }
    }
    for (const ref of refs(doc)) expect(ref).toMatch(/^#\/components\/schemas\//);
    for (const ref of refs(doc)) expect(doc.components.schemas, ref).toHaveProperty(ref.slice('#/components/schemas/'.length));
  });

  describe('served', () => {
    let run: TestBoard;

    beforeAll(async () => {
      run = await startTestBoard();
    });

    afterAll(async () => {
      await run?.teardown();
    });

    it('answers GET /api/openapi.json with the same document, without a session', async () => {
      const response = await fetch(`${run.url}/api/openapi.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    });
  });
});

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => (key === '$ref' && typeof item === 'string' ? [item] : refs(item)));
}
