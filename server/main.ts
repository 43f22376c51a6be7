import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createBoardServer, type BoardServer } from './app.js';
import { loadConfig } from './platform/config.js';
import { connectDatabase, disconnectDatabase } from './platform/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './platform/embedded-db.js';
import { trackRequests } from './transport/graceful-http.js';
import { spaceOutMajorCollections } from './platform/heap.js';
import { log } from './platform/log.js';
import { loadWebHandler } from './transport/web.js';

/** What a stop may take before the process exits anyway: under Docker's default 10 s before SIGKILL. */
const STOP_DEADLINE_MS = 9_000;
/** How long requests in progress may take to finish once a stop begins. */
const REQUEST_GRACE_MS = 4_000;

async function main(): Promise<void> {
  spaceOutMajorCollections();
  const config = loadConfig();
  const dev = process.argv.includes('--dev');

  let embedded: EmbeddedDatabase | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase(config.DATA_DIR);
    uri = embedded.uri;
    // The bench finds the database in this message.
    log.info({ uri, dataDir: config.DATA_DIR }, `Embedded FerretDB on ${uri} (data in ${config.DATA_DIR})`);
  }
  await connectDatabase(uri);

  if (config.REDIS_URL && !config.FACILITATOR_CODE) {
    throw new Error('Set FACILITATOR_CODE when REDIS_URL is set: every server must accept the same facilitator code.');
  }
  const facilitatorCode = config.FACILITATOR_CODE ?? madeUpCode();

  const board = await createBoardServer({
    web: await loadWebHandler(dev),
    redisUrl: config.REDIS_URL,
    allowedOrigins: config.ALLOWED_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    dataDir: config.DATA_DIR,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    publicUrl: config.PUBLIC_URL,
    retentionDays: config.RETENTION_DAYS,
    facilitatorCode,
  });
  const requests = trackRequests(board.httpServer);
  await new Promise<void>((resolve) => board.httpServer.listen(config.PORT, config.HOST, resolve));
  const { port } = board.httpServer.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  // Scripts wait for this line: its `url` field, or (the bench) the message.
  log.info({ url, dev }, `Recl@im ideas board on ${url}${dev ? ' (dev, hot reload)' : ''}`);
  if (!config.FACILITATOR_CODE) log.info(`Facilitator code for /moderate: ${facilitatorCode} (new at every start; set FACILITATOR_CODE to keep one)`);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    setTimeout(() => {
      log.error(`not stopped within ${STOP_DEADLINE_MS} ms: exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    stop(board, requests, embedded).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Every vote acknowledged so far is already stored (an ack waits for the database); the order here
 * lets the requests and votes in flight finish and be answered too, then closes what would keep the
 * process up.
 */
async function stop(board: BoardServer, requests: ReturnType<typeof trackRequests>, embedded: EmbeddedDatabase | null): Promise<void> {
  log.info('no new connections; finishing the requests in progress');
  const unfinished = await requests.finish(REQUEST_GRACE_MS);
  if (unfinished > 0) log.warn({ unfinished }, `requests still unanswered after ${REQUEST_GRACE_MS} ms: cutting them off`);
  await board.voteWriter.drain();
  log.info({ batches: board.voteWriter.stats.batches, votes: board.voteWriter.stats.votes }, 'votes stored; closing sockets');
  // Only this server's sockets: with Redis, `io.disconnectSockets` would reach every server.
  board.io.local.disconnectSockets(true);
  board.httpServer.closeAllConnections();
  await board.close();
  log.info('board closed; disconnecting from the database');
  await disconnectDatabase();
  if (embedded) {
    log.info('stopping the embedded FerretDB');
    await embedded.stop();
  }
  log.info('stopped');
}

/** 80 random bits, in groups a facilitator can read out across a room. */
function madeUpCode(): string {
  return (randomBytes(10).toString('hex').match(/.{5}/g) ?? []).join('-');
}

main().catch((err: unknown) => {
  log.fatal({ err }, err instanceof Error ? err.message : String(err));
  process.exit(1);
});
