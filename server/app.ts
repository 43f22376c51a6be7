import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import compression from 'compression';
import express, { type Express, type RequestHandler } from 'express';
import mongoose from 'mongoose';
import { BoardSettings } from './board/board-settings.js';
import { BoardState } from './board/board-state.js';
import { AccountService } from './accounts/accounts.js';
import { PeopleService } from './accounts/people.js';
import { FacilitatorCode } from './accounts/facilitator-code.js';
import { commandTable } from './transport/commands.js';
import { ConferenceService } from './conference/conference.js';
import { CurationService } from './board/curation.js';
import { DiscussionService } from './discussion/discussion.js';
import { Dispatcher } from './transport/dispatch.js';
import { EvidenceService } from './campaign/evidence.js';
import { pageGateway, publishPageGateway } from './transport/gateway.js';
import { apiRouter } from './transport/http.js';
import { IdeaService } from './board/ideas.js';
import { PersonHints } from './platform/person-hints.js';
import { GuestMerge } from './accounts/guest-merge.js';
import { KeyedQueue } from './platform/keyed-queue.js';
import { Limits } from './platform/limits.js';
import { log } from './platform/log.js';
import { RedisLock } from './platform/redis-lock.js';
import { createIo, type BoardIo } from './transport/io.js';
import { LiveBroadcaster } from './transport/live.js';
import { ConferenceSessions } from './conference/sessions.js';
import { SessionResults } from './conference/results.js';
import { RoomVotes } from './conference/room-votes.js';
import { SessionViews } from './conference/session-views.js';
import { Mailer } from './accounts/mailer.js';
import { ModerationService } from './moderation/moderation.js';
import { NotificationService } from './discussion/notifications.js';
import { Organisations } from './campaign/organisations.js';
import { requestLog } from './transport/request-log.js';
import { isHttps, securityHeaders } from './transport/headers.js';
import { databaseUp } from './platform/database.js';
import { SessionService } from './accounts/sign-in-sessions.js';
import { SupporterService } from './campaign/supporters.js';
import { attachSocketHandlers } from './transport/socket.js';
import { VoteLedger } from './board/vote-ledger.js';
import { VoteService } from './board/votes.js';
import { VoteWriter } from './board/vote-writer.js';
import { VotingRules } from './board/voting-rules.js';
import { Watching } from './transport/watch.js';
import { ClusterSync } from './transport/cluster-sync.js';
import type { DomainBus } from './transport/domain-events.js';
import { sessionBoards } from './transport/session-boards.js';
import { EventBus } from './platform/bus.js';
import { Networks } from './platform/network.js';
import type { TrustProxy } from './platform/config.js';
import { CommentModeration } from './moderation/comments.js';
import { Screening } from './moderation/screening.js';
import { VoteFlags } from './moderation/vote-flags.js';
import { VoteBursts } from './moderation/vote-bursts.js';
import { AppealService } from './moderation/appeals.js';
import { ModerationLog } from './moderation/log.js';
import { Suspensions } from './moderation/suspensions.js';
import { CampaignResultsService } from './results/campaign-results.js';
import { Seals } from './results/seals.js';
import { OpenData } from './results/open-data.js';
import { conferenceReport } from './results/report.js';
import { OwnData } from './privacy/own-data.js';
import { Retention } from './privacy/retention.js';
import { QuietHour } from './platform/quiet-hour.js';
import { fileRouter, reportPdfRouter } from './transport/files.js';

export interface BoardServerOptions {
  /** The SvelteKit handler (production build or Vite dev middleware); omitted, only the API and sockets are served. */
  web?: RequestHandler;
  redisUrl?: string;
  allowedOrigins?: readonly string[];
  /** Which proxies may name the client in X-Forwarded-For, as Express's `trust proxy` takes it (default: loopback). */
  trustProxy?: TrustProxy;
  /** What facilitators type at /moderate to be able to hide and restore ideas. */
  facilitatorCode: string;
  tickMs?: number;
  /** Phases a tick's tallies are sent in, and sockets per slice of each (see TallyTicker). */
  tallyPhases?: number;
  tallySlice?: number;
  voteWindowMs?: number;
  /** How long a queued vote may wait for the database before new ones are refused (see group-commit.ts). */
  voteMaxWaitMs?: number;
  reconcileEveryMs?: number;
  sweepEveryMs?: number;
  /** Where e-mail goes without an SMTP server (`<dataDir>/outbox`). */
  dataDir: string;
  smtpUrl?: string;
  mailFrom?: string;
  /** The site's address as people reach it, for links in e-mails; unset, the address this server listens on. */
  publicUrl?: string;
  /** Tighter or looser rate limits (tests). */
  limits?: ConstructorParameters<typeof Limits>[1];
  /** Guests idle longer are removed, and network hashes on older facts blanked (default 90). */
  retentionDays?: number;
}

export interface BoardServer {
  app: Express;
  httpServer: HttpServer;
  io: BoardIo;
  state: BoardState;
  ledger: VoteLedger;
  ideas: IdeaService;
  votes: VoteService;
  moderation: ModerationService;
  sessions: SessionService;
  accounts: AccountService;
  voteWriter: VoteWriter;
  roomVotes: RoomVotes;
  dispatcher: Dispatcher;
  /** The domain events' bus (tests publish decisions on it). */
  bus: DomainBus;
  close(): Promise<void>;
}

/**
 * Builds the whole board on an already connected mongoose: Express API, Socket.IO, live tallies and
 * (optionally) the web pages, all on one HTTP server that the caller listens with.
 */
export async function createBoardServer(options: BoardServerOptions): Promise<BoardServer> {
  const allowedOrigins = options.allowedOrigins ?? [];
  const bus: DomainBus = new EventBus();
  const hints = new PersonHints(bus);
  const state = new BoardState();
  const ledger = new VoteLedger(state);
  await ledger.load(hints);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  const httpServer = createServer(app);
  const { io, redis } = await createIo(httpServer, options.redisUrl);

  // First, so it hears every decision, including those made while the others load.
  const moderationLog = new ModerationLog(bus);
  const suspensions = new Suspensions(bus);
  await suspensions.load();
  const roomVotes = new RoomVotes(bus, redis !== null, { windowMs: options.voteWindowMs, maxWaitMs: options.voteMaxWaitMs });
  await roomVotes.load();
  const conferenceSessions = new ConferenceSessions(state, new SessionViews(state, roomVotes.ballots, (ideaId) => ledger.voidedOf(ideaId)), bus);
  await conferenceSessions.load();
  const organisations = new Organisations(bus);
  await organisations.load();
  const limits = new Limits(redis?.pub ?? null, options.limits);
  const sessions = new SessionService(organisations, bus, limits);
  const voteWriter = new VoteWriter({ windowMs: options.voteWindowMs, maxWaitMs: options.voteMaxWaitMs });
  const writeQueue = () => new KeyedQueue(redis ? new RedisLock(redis.pub) : null);
  const ideaWrites = writeQueue();
  const settings = new BoardSettings(bus, writeQueue());
  const screening = new Screening(bus, writeQueue());
  await screening.load();
  const ideas = new IdeaService(state, ledger, bus, settings, limits, screening, hints, ideaWrites);
  const votes = new VoteService(state, ledger, voteWriter, bus, redis !== null);
  const facilitatorCode = new FacilitatorCode(sessions, options.facilitatorCode);
  const moderation = new ModerationService(state, ledger, bus, ideaWrites, settings, limits, hints);
  await moderation.load();
  const conference = new ConferenceService(conferenceSessions, new SessionResults(conferenceSessions, roomVotes.ballots), roomVotes, ideas, moderation, bus, limits);
  conference.start();
  const campaignWrites = writeQueue();
  const evidence = new EvidenceService(bus, campaignWrites, limits, screening);
  await evidence.load();
  const supporters = new SupporterService(organisations, bus, campaignWrites, limits, screening);
  const discussion = new DiscussionService(state, bus, settings, limits, ideaWrites, screening, hints);
  await discussion.load();
  const commentModeration = new CommentModeration(discussion, state, bus, settings, limits, ideaWrites);
  const personWrites = writeQueue();
  const people = new PeopleService(organisations, personWrites, bus, screening);
  const accounts = new AccountService({
    sessions,
    limits,
    mailer: new Mailer({ smtpUrl: options.smtpUrl, outboxDir: join(options.dataDir, 'outbox'), from: options.mailFrom ?? 'Recl@im the Internet <no-reply@localhost>' }),
    merge: new GuestMerge(votes, ideaWrites, evidence, discussion, hints),
    people: personWrites,
    screen: screening,
    publicUrl: () => options.publicUrl ?? `http://localhost:${(httpServer.address() as AddressInfo | null)?.port ?? 80}`,
  });
  const voting = new VotingRules(settings, conferenceSessions, limits);
  const notifications = new NotificationService(bus, writeQueue(), discussion.store, bus);
  await notifications.load();
  const curation = new CurationService(state, ledger, bus, ideaWrites);
  const flags = new VoteFlags(state, ledger, bus);
  await flags.load();
  const bursts = new VoteBursts(bus, flags);
  const watching = new Watching(state, ledger);
  const appeals = new AppealService(moderation, commentModeration, moderationLog, bus);
  const areas = () => ideas.listAreas();
  const seals = new Seals(conference, bus);
  const results = new CampaignResultsService(state, ledger, discussion.store, areas, { of: (ideaIds) => roomVotes.ballots.totals(ideaIds) }, seals);
  const report = () => conferenceReport({ state, ledger, results, conference, seals, settings, evidence, organisations, areas });
  const openData = new OpenData({ state, ledger, comments: discussion.store, conference, room: { of: (ideaIds) => roomVotes.ballots.totals(ideaIds) }, seals, evidence, organisations, moderationLogCsv: () => moderationLog.csv() });
  const ownData = new OwnData(state, ideas, discussion, sessions, ideaWrites, bus);
  const retention = new Retention(options.retentionDays ?? 90, ideaWrites);
  const quietHour = new QuietHour();
  const recountHour = new QuietHour();
  const table = commandTable({ sessions, people, facilitatorCode, ideas, votes, moderation, commentModeration, settings, watching, conference, accounts, organisations, evidence, supporters, voting, ledger, discussion, curation, notifications, screening, flags, appeals, suspensions, moderationLog, results, seals, report, ownData });
  const networks = new Networks();
  await networks.load();
  const dispatcher = new Dispatcher(table, sessions, networks, suspensions);

  const followers = {
    discussion,
    conference: conferenceSessions,
    rooms: roomVotes,
    organisations,
    screening,
    settings,
    flags,
    suspensions,
    notifications,
    hints: { follow: hints.follow.bind(hints), reload: async () => void (await Promise.all([ideas.reloadHints(), discussion.reloadHints(), moderation.load()])) },
  };
  const sync = redis ? new ClusterSync(io, state, ledger, bus, followers) : null;
  const live = new LiveBroadcaster(io, state, bus, sessionBoards(conferenceSessions, roomVotes.ballots), sync, { tickMs: options.tickMs, phases: options.tallyPhases, slice: options.tallySlice });
  const detachSockets = attachSocketHandlers(io, { dispatcher, sessions, allowedOrigins, trustProxy: app.get('trust proxy fn') });
  live.start();
  bursts.start();
  if (redis && sync) redis.onRejoin(() => sync.resync((changes) => live.caughtUp(changes)));
  const stopWatchingServers = sync?.watchServers();

  // Within a second: no wait for a database the driver already knows is away, and a ping that takes longer counts as down.
  const databaseHealthy = async () => {
    if (!databaseUp()) return false;
    const ping = mongoose.connection.db?.admin().ping().then(() => databaseUp(), () => false) ?? Promise.resolve(false);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 800)));
    return Promise.race([ping, late]).finally(() => clearTimeout(timer));
  };

  const https = isHttps(options.publicUrl);
  app.use(requestLog());
  app.use(securityHeaders({ https }));
  app.use(compression());
  const publicUrl = () => options.publicUrl ?? `http://localhost:${(httpServer.address() as AddressInfo | null)?.port ?? 80}`;
  app.use('/api', fileRouter({ openData, seals, report, publicUrl }));
  app.use(reportPdfRouter({ openData, seals, report, publicUrl }));
  app.use('/api', apiRouter({ dispatcher, sessions, allowedOrigins, databaseHealthy, redisUp: redis ? () => redis.up : null, secureCookies: https, moderationLogCsv: () => moderationLog.csv() }));
  if (options.web) {
    publishPageGateway(pageGateway(dispatcher, sessions, https));
    app.use(options.web);
  }

  const timers = [
    // A recount reads every vote: on FerretDB, 5 s of a core at 200k votes, which stalls the votes
    // written meanwhile. A server recounts after a write that failed without saying whether it was
    // stored; with several, also when Redis comes back or a server leaves (cluster-sync.ts), the ways a
    // sync message is lost, and once a day in the quiet hour for drift nothing announced.
    setInterval(() => {
      if (ledger.needsRecount || (redis && recountHour.due())) void ledger.reconcile().catch((error: unknown) => log.error({ err: error }, 'vote recount failed'));
    }, options.reconcileEveryMs ?? 10 * 60_000),
    setInterval(() => {
      moderation.sweep();
      facilitatorCode.sweep();
      accounts.sweepExpired().catch((error: unknown) => log.error({ err: error }, 'sweeping expired e-mail links failed'));
      // Expired sessions are refused when used; storing them a while longer costs nothing.
      if (!quietHour.due()) return;
      void (async () => {
        await sessions.sweepExpired().catch((error: unknown) => log.error({ err: error }, 'sweeping expired sessions failed'));
        await retention.purge().catch((error: unknown) => log.error({ err: error }, 'purging idle guests failed'));
      })();
    }, options.sweepEveryMs ?? 10 * 60_000),
  ];
  for (const timer of timers) timer.unref();
  // Back after the database was away: votes whose write it cut short may have been stored, so count again now.
  const onReconnected = () => {
    if (ledger.needsRecount) void ledger.reconcile().catch((error: unknown) => log.error({ err: error }, 'vote recount failed'));
  };
  mongoose.connection.on('reconnected', onReconnected);

  const close = async () => {
    for (const timer of timers) clearInterval(timer);
    stopWatchingServers?.();
    mongoose.connection.off('reconnected', onReconnected);
    detachSockets();
    live.stop();
    bursts.stop();
    discussion.stop();
    conference.stop();
    await Promise.all([voteWriter.drain(), roomVotes.writer.drain()]);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    if (redis) await Promise.all([redis.pub.quit(), redis.sub.quit()]);
  };

  return { app, httpServer, io, state, ledger, ideas, votes, moderation, sessions, accounts, voteWriter, roomVotes, dispatcher, bus, close };
}
