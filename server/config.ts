import { z } from 'zod';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  MONGODB_URI: z.string().url('MONGODB_URI must be a mongodb:// URI').optional(),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().url('REDIS_URL must be a redis:// URL').optional(),
  /** Extra origins allowed to open sockets and post, comma-separated (the page's own origin always is). */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Bad configuration:\n${problems}`);
  }
  return parsed.data;
}
