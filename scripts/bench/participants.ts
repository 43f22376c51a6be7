import { now, serve, sleep } from './ipc.js';
import { LightSocket } from './light-socket.js';
import { participantAddress } from './http-client.js';

export interface VoteRecord {
  ideaId: string;
  sentAt: number;
  ackAt: number;
  /** The idea's count in the ack (the count that includes this vote, or follows a retraction), or -1 when the vote failed. */
  votes: number;
  error: string | null;
}

/** One comment posted beside the votes (`comment:create`), and its ack. */
export interface CommentRecord {
  ideaId: string;
  sentAt: number;
  ackAt: number;
  /** The comment's id from the ack, or null when it failed. */
  commentId: string | null;
  /** An error code (RATE_LIMITED, TIMEOUT, ...), or HELD for a comment accepted but held for review (never broadcast). */
  error: string | null;
}

export type ParticipantApi = {
  /** One socket per participant: the server limits commands per socket, as it does for a person. */
  connect: {
    params: { url: string; cookies: string[] | null; count: number; sources: string[]; concurrency: number; timeoutMs: number };
    result: { connected: number; failed: number; firstError: string | null };
  };
  /**
   * Casts `rate` votes/s for `durationMs` over `ideas`, each participant on distinct ideas so counts
   * only rise; with `code`, as votes in that live session (refused while it is paused). With
   * `commentRate`, comments too, beside the votes over the same time and ideas: each from the next
   * participant in turn (across runs), so no one nears the per-account comment limit. With
   * `retract`, the same participants take back, in the same order, the votes an earlier run of the
   * same size cast on these ideas (`vote:retract`; the acks' counts then fall).
   */
  run: {
    params: { ideas: string[]; rate: number; durationMs: number; ackTimeoutMs: number; code?: string; commentRate?: number; retract?: boolean };
    result: { votes: VoteRecord[]; comments: CommentRecord[]; sendingMs: number };
  };
  close: { params: null; result: null };
};

interface AckReply {
  ok: boolean;
  code?: string;
  data?: { ideaId: string; votes: number; votedByMe: boolean };
}

interface CommentAck {
  ok: boolean;
  code?: string;
  data?: { comment: { id: string }; pending: boolean };
}

const STANCES = ['for', 'against', 'question'] as const;

let sockets: LightSocket[] = [];
/** The participant who posts the next comment: it carries on across runs, so comments spread over everyone. */
let nextCommenter = 0;
let commentsPosted = 0;

serve<ParticipantApi>({
  async connect(params) {
    let next = 0;
    let failed = 0;
    let firstError: string | null = null;
    const deadline = now() + params.timeoutMs * 4 + params.count * 5;
    const lane = async () => {
      while (next < params.count && now() < deadline) {
        const index = next++;
        const cookie = params.cookies?.[index];
        const localAddress = params.sources[index % params.sources.length];
        try {
          sockets.push(
            await LightSocket.connect({
              base: params.url,
              timeoutMs: params.timeoutMs,
              ...(cookie ? { cookie, forwardedFor: participantAddress(index) } : {}),
              ...(localAddress ? { localAddress } : {}),
            }),
          );
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
          await sleep(20);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(params.concurrency, params.count) }, lane));
    failed += params.count - next;
    return { connected: sockets.length, failed, firstError };
  },

  async run({ ideas, rate, durationMs, ackTimeoutMs, code, commentRate = 0, retract = false }) {
    const total = Math.round((rate * durationMs) / 1000);
    const people = sockets.length;
    if (total > people * ideas.length) throw new Error(`${total} votes need more than ${people} participants × ${ideas.length} ideas`);
    const pending: Promise<VoteRecord>[] = [];
    // Vote k goes to participant k mod P, on that participant's (k div P)-th idea: every pair is new.
    const cast = (k: number) => {
      const person = k % people;
      const ideaId = ideas[(person + Math.floor(k / people)) % ideas.length]!;
      const sentAt = now();
      pending.push(
        sockets[person]!.emit(retract ? 'vote:retract' : 'vote:cast', code ? { ideaId, code } : { ideaId }, ackTimeoutMs).then(
          (reply) => {
            const ack = reply as AckReply;
            return { ideaId, sentAt, ackAt: now(), votes: ack.ok ? ack.data!.votes : -1, error: ack.ok ? null : (ack.code ?? 'ERROR') };
          },
          (error: Error) => ({ ideaId, sentAt, ackAt: now(), votes: -1, error: error.message }),
        ),
      );
    };
    const commentTotal = Math.round((commentRate * durationMs) / 1000);
    const commenting: Promise<CommentRecord>[] = [];
    const post = (k: number) => {
      const person = nextCommenter++ % people;
      const n = ++commentsPosted;
      const ideaId = ideas[k % ideas.length]!;
      const stance = STANCES[n % STANCES.length]!;
      const sentAt = now();
      commenting.push(
        sockets[person]!.emit('comment:create', { ideaId, stance, body: `Bench comment ${n}: ${stance} this idea, beside the votes.` }, ackTimeoutMs).then(
          (reply) => {
            const ack = reply as CommentAck;
            const error = !ack.ok ? (ack.code ?? 'ERROR') : ack.data!.pending ? 'HELD' : null;
            return { ideaId, sentAt, ackAt: now(), commentId: ack.ok ? ack.data!.comment.id : null, error };
          },
          (error: Error) => ({ ideaId, sentAt, ackAt: now(), commentId: null, error: error.message }),
        ),
      );
    };
    const start = now();
    let sent = 0;
    let commented = 0;
    // Paced by the clock, not by timer ticks: a late timer sends the votes (and comments) it owes at once.
    while ((sent < total || commented < commentTotal) && now() - start < durationMs * 2 + 5_000) {
      const elapsed = now() - start;
      const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
      while (sent < due) cast(sent++);
      const commentsDue = Math.min(commentTotal, Math.floor((elapsed * commentRate) / 1000) + 1);
      while (commented < commentsDue) post(commented++);
      await sleep(1);
    }
    const sendingMs = now() - start;
    const [votes, comments] = await Promise.all([Promise.all(pending), Promise.all(commenting)]);
    return { votes, comments, sendingMs };
  },

  async close() {
    const closing = sockets;
    sockets = [];
    await Promise.race([Promise.all(closing.map((s) => s.close())), sleep(10_000)]);
    return null;
  },
});
