import { BROADCASTS } from '../../../realtime/broadcasts.js';
import { COMMAND_DOCS, type CommandDoc, type DocumentedCommand } from '../../../realtime/command-docs.js';
import { COMMANDS, type CommandName, type HttpRoute } from '../../../realtime/commands.js';
import { errorReasons } from './errors.js';
import { openApiPath } from './operations.js';
import { objectFields, type SchemaConverter } from './schemas.js';
import type { Broadcast, OpenApiDocument, SocketCommand } from './types.js';

/** The `x-socket-io` section: the acked socket commands and the broadcasts, beside the REST operations. */

const SOCKET_INTRO = `Socket.IO on the same origin (path \`/socket.io\`), with the session cookie: the handshake ties the socket to the session (a foreign \`Origin\` is refused), so load the page or call \`GET /api/session\` before connecting. A command is an emit with an ack: \`socket.emit(name, payload, ack)\`, answered \`{ok: true, data}\` or \`{ok: false, code, message}\` with the codes above (\`REPHRASE\` adds \`terms\`). Each socket may send 40 commands per 10 seconds (then \`RATE_LIMITED\`). Tallies go out at most once per 100 ms tick, with only the counts that changed; a slow connection skips frames and gets what it missed in one.`;

/** The socket commands, in the table's order, then the broadcasts; after the REST operations (same converter). */
export function socketSection(convert: SchemaConverter): OpenApiDocument['x-socket-io'] {
  const commands: Record<string, SocketCommand> = {};
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const spec = COMMANDS[name];
    if (!('socket' in spec)) continue;
    const doc: CommandDoc = COMMAND_DOCS[name as DocumentedCommand];
    const input = convert.convert(spec.input, 'input');
    const route = 'http' in spec ? (spec.http as HttpRoute) : undefined;
    commands[name] = {
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      'x-caller': spec.who,
      ...(route ? { 'x-http': `${route.method} ${openApiPath(route.path)}` } : {}),
      input,
      result: convert.convert(spec.result, 'output'),
      errors: errorReasons(name as DocumentedCommand, Object.keys(objectFields(input).properties), 'socket'),
    };
  }
  const broadcasts: Record<string, Broadcast> = {};
  for (const [event, broadcast] of Object.entries(BROADCASTS)) {
    broadcasts[event] = {
      description: broadcast.description,
      to: broadcast.to,
      after: broadcast.after,
      payload: broadcast.payload ? convert.convert(broadcast.payload, 'output') : null,
    };
  }
  return { description: SOCKET_INTRO, commands, broadcasts };
}
