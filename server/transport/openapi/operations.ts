import { COMMAND_DOCS, type CommandDoc, type DocumentedCommand } from '../../../realtime/command-docs.js';
import { COMMANDS, type CommandName, type HttpRoute, type Who } from '../../../realtime/commands.js';
import { ERROR_STATUS, type ErrorCode } from '../../../realtime/vocabulary.js';
import { errorContent, errorReasons } from './errors.js';
import { JOIN_CODE, objectFields, type SchemaConverter } from './schemas.js';
import type { JsonSchema, Operation, Parameter, Response } from './types.js';

/** The REST operations: one per row of the command table with a route, and the few routes besides. */

export const SECURITY_SCHEME = 'session';
export const SERVICE_TAG = 'Service';

/** Groups for the reference, by the command name's prefix, in this order. */
export const TAGS: { name: string; description: string; prefixes: string[] }[] = [
  { name: 'Sessions', description: 'The session cookie: a guest\u2019s, a member\u2019s, a facilitator\u2019s.', prefixes: ['session', 'facilitator'] },
  { name: 'Accounts', description: 'Signing up and in, passwords, profiles.', prefixes: ['auth', 'profile'] },
  { name: 'Board', description: 'Areas, ideas and votes.', prefixes: ['areas', 'area', 'ideas', 'idea', 'vote', 'board'] },
  { name: 'Discussion', description: 'Comments on ideas.', prefixes: ['comments', 'comment'] },
  { name: 'Notifications', description: 'What happened to ideas a person voted for or discussed.', prefixes: ['notifications'] },
  { name: 'Moderation', description: 'The staff queue and the board\u2019s switches.', prefixes: ['moderation', 'tallies'] },
  { name: 'Campaign', description: 'Evidence, supporting organisations, the conference.', prefixes: ['evidence', 'organisations', 'conference'] },
  { name: 'Live sessions', description: 'Sessions a hall joins by code, run by facilitators.', prefixes: ['live'] },
  { name: 'Admin', description: 'People and their roles.', prefixes: ['admin'] },
];

export function tagOf(name: string): string {
  const prefix = name.split(':')[0]!;
  return TAGS.find((tag) => tag.prefixes.includes(prefix))?.name ?? prefix;
}

const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
export const openApiPath = (path: string) => '/api' + path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

function security(who: Who): Record<string, string[]>[] {
  if (who === 'anyone') return [{}, { [SECURITY_SCHEME]: [] }];
  return [{ [SECURITY_SCHEME]: who === 'participant' ? [] : [who] }];
}

const SUCCESS: Record<number, string> = { 200: 'OK.', 201: 'Created.', 202: 'Accepted.', 204: 'Done; no content.' };

function operation(name: DocumentedCommand, route: HttpRoute, convert: SchemaConverter): Operation {
  const spec = COMMANDS[name];
  const doc: CommandDoc = COMMAND_DOCS[name];
  const input = objectFields(convert.convert(spec.input, 'input'));
  const params = pathParams(route.path);
  const rest = Object.keys(input.properties).filter((field) => !params.includes(field));
  const inQuery = route.method === 'GET' || route.method === 'DELETE';

  const parameters: Parameter[] = params.map((param) => ({ name: param, in: 'path', required: true, schema: input.properties[param] ?? { type: 'string' } }));
  if (inQuery) {
    for (const field of rest) {
      const schema = input.properties[field]!;
      parameters.push({ name: field, in: 'query', required: input.required.includes(field), schema, ...(schema.type === 'array' ? { style: 'form' as const, explode: false as const } : {}) });
    }
  }
  let requestBody: Operation['requestBody'];
  if (!inQuery && rest.length) {
    const required = input.required.filter((field) => rest.includes(field));
    const body: JsonSchema = { type: 'object', properties: Object.fromEntries(rest.map((field) => [field, input.properties[field]!])) };
    if (required.length) body.required = required;
    requestBody = { required: required.length > 0, content: { 'application/json': { schema: body } } };
  }
  const status = route.status ?? 200;
  const responses: Record<string, Response> = {
    [status]: status === 204 ? { description: SUCCESS[204]! } : { description: SUCCESS[status]!, content: { 'application/json': { schema: convert.convert(spec.result, 'output') } } },
  };
  for (const [code, reason] of Object.entries(errorReasons(name, Object.keys(input.properties), 'http'))) {
    // Codes sharing a status (REPHRASE with BAD_REQUEST, SUSPENDED with FORBIDDEN): one response, each reason named.
    const status = ERROR_STATUS[code as ErrorCode];
    const said = responses[status]?.description;
    responses[status] = { description: said ? `${said} \`${code}\`: ${reason}` : code !== 'BAD_REQUEST' && code !== 'FORBIDDEN' ? `\`${code}\`: ${reason}` : reason, content: errorContent };
  }
  responses.default = { description: 'INTERNAL: something unexpected failed.', content: errorContent };

  const op: Operation = {
    operationId: name,
    tags: [tagOf(name)],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    'x-caller': spec.who,
    ...('socket' in spec ? { 'x-socket': true as const } : {}),
    security: security(spec.who),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
  return op;
}

/** Every route's operations, by OpenAPI path and method: the table's, in its order, then the others. */
export function operationPaths(convert: SchemaConverter): Record<string, Record<string, Operation>> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const spec = COMMANDS[name];
    if (!('http' in spec)) continue;
    const route = spec.http as HttpRoute;
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(name as DocumentedCommand, route, convert);
  }
  return Object.assign(paths, extraPaths());
}

/** The routes server/http.ts serves besides the table's: health, this document, a session's results and the screening terms as CSV. */
function extraPaths(): Record<string, Record<string, Operation>> {
  const extra = (operationId: string, tag: string, summary: string, description: string, responses: Record<string, Response>, parameters?: Parameter[]): Operation => ({
    operationId,
    tags: [tag],
    summary,
    description,
    'x-caller': 'anyone',
    security: [{}],
    ...(parameters ? { parameters } : {}),
    responses,
  });
  const health = (ok: boolean) => ({
    type: 'object',
    properties: { ok: { const: ok }, db: { const: ok ? 'up' : 'down' }, redis: { enum: ['up', 'down'], description: 'With REDIS_URL only. Down is no failure: the server serves alone until Redis is back.' } },
    required: ['ok', 'db'],
  });
  return {
    '/api/live/{code}/results.csv': {
      get: extra(
        'live:results.csv',
        tagOf('live:results'),
        'A live session\u2019s results as a spreadsheet',
        'As `GET /api/live/{code}/results`, as CSV, every round one after the other: columns `rank,idea,area,votes,voided,round,online` (`votes`: the room\u2019s; `voided`: votes staff voided, not in `votes`; `online`: the idea\u2019s votes on the board, not the room\u2019s), nothing about who voted; an attachment named `results-<code>.csv` (`-provisional` before the last round closes).',
        {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          400: { description: 'The input does not match its schema.', content: errorContent },
          404: { description: 'No live session with that `code`.', content: errorContent },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        },
        [{ name: 'code', in: 'path', required: true, schema: { type: 'string', description: JOIN_CODE } }],
      ),
    },
    '/api/moderation/terms.csv': {
      get: {
        ...extra('moderation:terms.csv', tagOf('moderation:terms'), 'Word screening\u2019s list as a spreadsheet', 'As `GET /api/moderation/terms`, as CSV: columns `term,action,list` (`built-in` or `staff`), formula-safe; `POST /api/moderation/terms/import` takes it back.', {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          401: { description: 'No session: call `GET /api/session` first.', content: errorContent },
          403: { description: 'Not a moderator or above.', content: errorContent },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        }),
        'x-caller': 'moderator',
        security: security('moderator'),
      },
    },
    '/api/moderation/log.csv': {
      get: extra(
        'moderation:log.csv',
        tagOf('moderation:log'),
        'The public moderation log as a spreadsheet',
        'As `GET /api/moderation/log`, every page at once (the latest 10,000 entries), as CSV in UTF-8 with a byte-order mark: columns `at,action,reason,by,kind,id,title`, `[removed post]` for a title left out. Cells a spreadsheet would read as a formula start with an apostrophe.',
        {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        },
      ),
    },
    '/api/healthz': {
      get: extra('healthz', SERVICE_TAG, 'Whether the server and its database are up', 'For load balancers and monitors.', {
        200: { description: 'Up.', content: { 'application/json': { schema: health(true) } } },
        503: { description: 'The database is down.', content: { 'application/json': { schema: health(false) } } },
      }),
    },
    '/api/openapi.json': {
      get: extra('openapi', SERVICE_TAG, 'This document', 'OpenAPI 3.1, generated from the command table.', {
        200: { description: 'OK.', content: { 'application/json': { schema: { type: 'object' } } } },
      }),
    },
  };
}

/** The operations that are no command of the table. */
export const EXTRA_OPERATIONS = ['live:results.csv', 'moderation:terms.csv', 'moderation:log.csv', 'healthz', 'openapi'] as const;
