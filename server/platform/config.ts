import { z } from 'zod';

/** An empty variable counts as unset, as shells and .env files often leave them. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://')),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')),
  /** What facilitators type at /moderate; unset, the app makes one at start and prints it. */
  FACILITATOR_CODE: optional(z.string().min(8, 'FACILITATOR_CODE needs at least 8 characters')),
  /** An SMTP server for e-mail (smtp:// or smtps://, credentials in the URL); unset, e-mail goes to DATA_DIR/outbox. */
  SMTP_URL: optional(z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')),
  MAIL_FROM: z.string().default('Recl@im the Internet <no-reply@localhost>'),
  /** The site's address as people reach it (links in e-mails, the join URL); unset, http://localhost:PORT. */
  PUBLIC_URL: optional(z.string().regex(/^https?:\/\/[^/]+$/, 'PUBLIC_URL is an origin such as https://ideas.example.org (no path)')),
  /** Guests idle this many days are removed, and the network hash on older facts blanked; votes stay as counts. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Extra origins allowed to open sockets and post, comma-separated (the page's own origin always is). */
  /**
   * Which proxies may name the client in X-Forwarded-For, as Express's `trust proxy` takes it: a hop
   * count, true/false, or names and CIDRs (`loopback`, `uniquelocal`, `10.0.0.0/8`), comma-separated.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((s): TrustProxy => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim() === 'true' ? true : s.trim() === 'false' ? false : s.split(',').map((part) => part.trim()).filter(Boolean))),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
});

export type Config = z.infer<typeof configSchema>;
/** What Express's `trust proxy` setting takes. */
export type TrustProxy = boolean | number | string[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Bad configuration:\n${problems}`);
  }
  return parsed.data;
}
