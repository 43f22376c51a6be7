import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { log } from '../platform/log.js';

const REQUEST_ID_HEADER = 'x-request-id';

/** A proxy's id is kept when it is short and plain, so it can be looked up across both logs; anything else could forge log lines. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * Gives every HTTP request an id (echoed in `x-request-id`) and `req.log`, a logger whose lines carry
 * it. One line per finished request: at debug when it went well, so the live path writes nothing
 * at the default level; warn for a 4xx, error for a 5xx. Socket.IO's requests never get here:
 * engine.io answers /socket.io/ on the HTTP server before Express sees it.
 */
export function requestLog(): RequestHandler {
  return pinoHttp({
    logger: log,
    genReqId: requestId,
    quietReqLogger: true,
    // Headers stay out: the cookie is a session's key.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'debug';
    },
  });
}
