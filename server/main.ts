import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createBoardServer } from './app.js';
import { loadConfig } from './config.js';
import { connectDatabase, disconnectDatabase } from './database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-db.js';
import { spaceOutMajorCollections } from './heap.js';
import { loadWebHandler } from './web.js';

async function main(): Promise<void> {
  spaceOutMajorCollections();
  const config = loadConfig();
  const dev = process.argv.includes('--dev');

  let embedded: EmbeddedDatabase | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase(config.DATA_DIR, (m) => console.log(m));
    uri = embedded.uri;
    console.log(`Embedded FerretDB on ${uri} (data in ${config.DATA_DIR})`);
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
    facilitatorCode,
  });
  await new Promise<void>((resolve) => board.httpServer.listen(config.PORT, config.HOST, resolve));
  const { port } = board.httpServer.address() as AddressInfo;
  console.log(`Recl@im ideas board on http://localhost:${port}${dev ? ' (dev, hot reload)' : ''}`);
  if (!config.FACILITATOR_CODE) console.log(`Facilitator code for /moderate: ${facilitatorCode} (new at every start; set FACILITATOR_CODE to keep one)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await board.close();
    await disconnectDatabase();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** 80 random bits, in groups a facilitator can read out across a room. */
function madeUpCode(): string {
  return (randomBytes(10).toString('hex').match(/.{5}/g) ?? []).join('-');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
