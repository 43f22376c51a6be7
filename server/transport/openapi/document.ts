import { ERROR_STATUS, type ErrorCode } from '../../../realtime/vocabulary.js';
import { ERROR_MEANINGS, errorSchema } from './errors.js';
import { operationPaths, SECURITY_SCHEME, SERVICE_TAG, TAGS } from './operations.js';
import { SchemaConverter } from './schemas.js';
import { socketSection } from './socket.js';
import type { OpenApiDocument } from './types.js';

/**
 * The API reference as an OpenAPI 3.1 document, made from the command table: each row with a REST
 * route is an operation (its zod schemas as JSON Schema, its caller, the errors it can answer), and
 * the socket commands and broadcasts ride along under `x-socket-io`. Pure: served at
 * /api/openapi.json and rendered into docs/api.md by scripts/api-docs.ts.
 */

/** The session cookie's name (server/sessions.ts SESSION_COOKIE; the test holds them together). */
export const SESSION_COOKIE_NAME = 'reclaim_session';
const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

const INTRO = `The board\u2019s API, generated from its command table (\`realtime/commands.ts\`): each command is one row \u2014 its input schema, who may call it, its REST route, its result \u2014 reached over HTTP, Socket.IO and the SvelteKit pages alike, with the same checks and the same errors.

- **Same origin, JSON.** Requests and answers are JSON; a body is at most 16 kB. A write (\`POST\`, \`PUT\`, \`PATCH\`, \`DELETE\`) must send its body as \`application/json\` and come from the board\u2019s own origin (or one of \`ALLOWED_ORIGINS\`): a foreign \`Origin\` or \`Sec-Fetch-Site: cross-site\` is refused with 403.
- **Sessions.** The \`${SESSION_COOKIE_NAME}\` cookie (HttpOnly, SameSite=Lax) carries the session. \`GET /api/session\` starts a guest session when the request has none \u2014 no sign-up, so a hall can vote in seconds; signing up or in replaces it. The API and sockets never start a session by themselves: call \`GET /api/session\` first. Ending a session (signing out, expiry, a new password) disconnects its sockets on every server.
- **Roles.** participant < moderator < facilitator < admin, each allowed everything the one before it is; a *member* is signed in to an account, a *guest* is not. Each operation names its caller (\`x-caller\`, and the role in its \`security\`).
- **Input.** Path parameters join the JSON body \u2014 for \`GET\` and \`DELETE\`, the query \u2014 into one object, parsed with the command\u2019s schema. Text is trimmed (and control characters dropped) before its length is checked.
- **Errors.** \`{"error": {"code": "\u2026", "message": "\u2026"}}\`; \`message\` is for people; \`REPHRASE\` adds \`terms\`, the words to reword. Each code has one status:

| status | code | meaning |
|---|---|---|
${(Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => `| ${ERROR_STATUS[code]} | \`${code}\` | ${ERROR_MEANINGS[code]} |`).join('\n')}

- **Rate limits** count per person and per network (a hall shares one address, so those are wide); each operation lists its own.`;

function build(): OpenApiDocument {
  const convert = new SchemaConverter();
  const paths = operationPaths(convert);
  const socketIo = socketSection(convert);

  const usedTags = new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags)));
  const known = TAGS.filter((tag) => usedTags.has(tag.name)).map(({ name, description }) => ({ name, description }));
  const others = [...usedTags].filter((tag) => !TAGS.some((t) => t.name === tag) && tag !== SERVICE_TAG).map((name) => ({ name, description: '' }));

  return {
    openapi: '3.1.0',
    info: { title: 'Recl@im the Internet \u2014 live ideas board API', version: '1', description: INTRO },
    jsonSchemaDialect: DIALECT,
    servers: [{ url: '/', description: 'The board\u2019s own origin.' }],
    tags: [...known, ...others, { name: SERVICE_TAG, description: 'Health and this document.' }],
    paths,
    components: {
      schemas: { Error: errorSchema(), ...Object.fromEntries(Object.entries(convert.components).sort(([a], [b]) => (a < b ? -1 : 1))) },
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE_NAME,
          description: 'Set by `GET /api/session` (a guest session) and by signing up or in. Where an operation lists a role, the session must hold it (or one above it; `member`: signed in to an account).',
        },
      },
    },
    'x-socket-io': socketIo,
  };
}

let cached: string | undefined;

/** The document, made afresh (callers may change it). */
export function openApiDocument(): OpenApiDocument {
  return build();
}

/** The document as served: made once per process. */
export function openApiJson(): string {
  return (cached ??= JSON.stringify(build()));
}