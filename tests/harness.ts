import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { createBoardServer, type BoardServer, type BoardServerOptions } from '../server/app.js';
import { connectDatabase, disconnectDatabase } from '../server/platform/database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../server/platform/embedded-db.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/events.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Database {
  uri: string;
  dataDir: string;
  /** The embedded FerretDB's process id, to kill it (null with MONGODB_URI). */
  pid(): number | null;
  stop(): Promise<void>;
}

/** A real database for one test file: MONGODB_URI when set, otherwise a fresh embedded FerretDB. */
export async function startDatabase(dataDir = mkdtempSync(join(tmpdir(), 'reclaim-test-')), options: Parameters<typeof startEmbeddedDatabase>[1] = {}): Promise<Database> {
  if (process.env.MONGODB_URI) {
    const url = new URL(process.env.MONGODB_URI);
    url.pathname = `/reclaim_test_${process.pid}_${Date.now()}`;
    return { uri: url.toString(), dataDir, pid: () => null, stop: async () => undefined };
  }
  const embedded: EmbeddedDatabase = await startEmbeddedDatabase(dataDir, options);
  return { uri: embedded.uri, dataDir, pid: () => embedded.pid(), stop: () => embedded.stop() };
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunningBoard {
  board: BoardServer;
  url: string;
  /** Where this board writes its e-mails (`<dataDir>/outbox`) without SMTP. */
  dataDir: string;
  stop(): Promise<void>;
}

export const FACILITATOR_CODE = 'tea-and-biscuits-at-the-front';

/** Connects mongoose (once per process) and serves a board on a free port. */
export async function startBoard(uri: string, options: Partial<BoardServerOptions> = {}): Promise<RunningBoard> {
  await connectDatabase(uri);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'reclaim-board-'));
  const board = await createBoardServer({ facilitatorCode: FACILITATOR_CODE, ...options, dataDir });
  await new Promise<void>((resolve) => board.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = board.httpServer.address() as AddressInfo;
  return { board, url: `http://127.0.0.1:${port}`, dataDir, stop: () => board.close() };
}

export async function stopDatabaseConnection(): Promise<void> {
  await disconnectDatabase();
}

export interface TestBoard extends RunningBoard {
  db: Database;
  /** Stops the board, the connection and the database, and removes the data folder. */
  teardown(): Promise<void>;
}

/** A test file's own database and board on a free port. */
export async function startTestBoard(options: Partial<BoardServerOptions> = {}): Promise<TestBoard> {
  const db = await startDatabase();
  const run = await startBoard(db.uri, { dataDir: db.dataDir, ...options });
  const teardown = async () => {
    await run.stop();
    await stopDatabaseConnection();
    await db.stop();
    removeDataDir(db.dataDir);
  };
  return { ...run, db, teardown };
}

/**
 * Debian's Chromium, headless, as every browser test file launches it (CHROMIUM_PATH to use another).
 * playwright-core is imported here, on first use, so the tests without a browser never load it.
 */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * Every Content Security Policy violation any page of this browser reports from now on, as Chromium
 * writes it in the console ("Refused to execute inline script because it violates the following
 * Content Security Policy directive…"): browser tests assert the list stays empty.
 */
export function watchCsp(browser: Browser): string[] {
  const violations: string[] = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
    });
    return context;
  };
  return violations;
}

/** A participant over HTTP: keeps the session cookie like a browser would. */
export class HttpClient {
  cookie = '';

  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(this.base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    const json = text ? (JSON.parse(text) as any) : null;
    return { status: response.status, body: json };
  }

  async session(): Promise<string> {
    const { body } = await this.request('GET', '/api/session');
    return body.user.id as string;
  }

  /**
   * Signs up a member in this session: someone whose reports weigh fully, unlike a guest session
   * minutes old (server/moderation/report-rule.ts). `dataDir` is the board's, whose outbox has the link.
   */
  async signUp(dataDir: string, name = 'Test member'): Promise<string> {
    const email = `member-${Math.random().toString(36).slice(2)}@example.org`;
    const { status, body } = await signUpByLink(this, dataDir, { email, password: `Tall-${Math.random().toString(36).slice(2)}-Harbour-Lantern`, name });
    if (status !== 200) throw new Error(`signing up answered ${status}: ${JSON.stringify(body)}`);
    return body.user.id as string;
  }
}

/**
 * The people of a test file's board: guests with a session and a socket, a facilitator signed in with the
 * code, an idea posted by a guest. Every socket opened here (or handed to `track`) closes at `close()`.
 */
export class TestCrowd {
  private readonly sockets: ClientSocket[] = [];

  constructor(private readonly url: string) {}

  async person(): Promise<{ http: HttpClient; socket: ClientSocket }> {
    const http = new HttpClient(this.url);
    await http.session();
    return { http, socket: this.track(await openSocket(this.url, http.cookie)) };
  }

  async facilitator(): Promise<{ http: HttpClient; socket: ClientSocket }> {
    const http = new HttpClient(this.url);
    await http.session();
    const signedIn = await http.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE });
    if (signedIn.status !== 200) throw new Error(`the facilitator code answered ${signedIn.status}`);
    return { http, socket: this.track(await openSocket(this.url, http.cookie)) };
  }

  async newIdea(title: string, area = 'police'): Promise<string> {
    const { http } = await this.person();
    const created = await http.request('POST', '/api/ideas', { area, title });
    if (created.status !== 201) throw new Error(`posting an idea answered ${created.status}: ${JSON.stringify(created.body)}`);
    return created.body.idea.id as string;
  }

  track(socket: ClientSocket): ClientSocket {
    this.sockets.push(socket);
    return socket;
  }

  close(): void {
    for (const socket of this.sockets.splice(0)) socket.close();
  }
}

/**
 * Signs up as a person does: POST /api/auth/signup (202 whatever the address), then the link e-mailed
 * to a new address opened in the same client, which makes the account and signs it in. Answers the
 * link's answer (200 with `user`), or the sign-up's own refusal.
 */
export async function signUpByLink(http: HttpClient, dataDir: string, fields: { email: string; password: string; name: string }) {
  const seen = new Set(outbox(dataDir).map((m) => m.text));
  const asked = await http.request('POST', '/api/auth/signup', fields);
  if (asked.status !== 202) return asked;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mail = outbox(dataDir).find((m) => m.to === fields.email && !seen.has(m.text));
    const token = mail?.text.match(/\/verify\?token=([a-z2-7]+)/)?.[1];
    if (token) return http.request('POST', '/api/auth/verify', { token });
    if (mail) throw new Error(`no sign-up link in the e-mail to ${fields.email}: ${mail.subject}`);
    if (Date.now() > deadline) throw new Error(`no e-mail to ${fields.email} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function openSocket(url: string, cookie = '', headers: Record<string, string> = {}): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { ...(cookie ? { cookie } : {}), ...headers },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not connect within 5 s')), 5_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Emits a command and resolves with its ack. */
export function ask<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
}

/** Resolves with the first event matching `match`, or rejects after `timeoutMs`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const listener = (payload: any) => {
      if (!match(payload)) return;
      cleanup();
      resolve(payload);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off(event, listener as any);
    };
    socket.on(event, listener as any);
  });
}

/** Collects every `event` a socket receives until stopped, to assert that nothing arrived. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E) {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  const listener = (payload: any) => seen.push(payload);
  socket.on(event, listener as any);
  return { seen, stop: () => socket.off(event, listener as any) };
}

/** The e-mails a board without SMTP wrote to its outbox, oldest first, as nodemailer's JSON transport renders them. */
export function outbox(dataDir: string): { to: string; subject: string; text: string }[] {
  let files: string[];
  try {
    files = readdirSync(join(dataDir, 'outbox')).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const mail = JSON.parse(readFileSync(join(dataDir, 'outbox', file), 'utf8')) as { to: { address: string }[]; subject: string; text: string };
    return { to: mail.to[0]!.address, subject: mail.subject, text: mail.text };
  });
}
