import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** Every environment variable crm-sync reads, with defaults that work on a development machine. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/crm_sync'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  VAULT_KEYS: z.string().optional(),
  VAULT_ACTIVE_KEY_ID: z.string().optional(),

  CONNECT_API_HOST: z.string().default('127.0.0.1'),
  CONNECT_API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Origin the browser reaches connect-api at; OAuth redirect URIs are built from it. */
  PUBLIC_BASE_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  SERVICE_TOKENS: z.string().optional(),
  /** Origins a connect request may send the browser back to (comma-separated). */
  ALLOWED_REDIRECT_ORIGINS: z.string().default('http://127.0.0.1:3000,http://localhost:3000'),
  CALLBACK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),

  PROVIDER_MODE: z.enum(['sandbox', 'live']).optional(),
  SANDBOX_HTTP_URL: url(['http:', 'https:']).default('http://127.0.0.1:4010'),
  SANDBOX_HTTPS_URL: url(['https:']).default('https://127.0.0.1:4011'),
  /** PEM of the sandbox's self-signed certificate (its https origin serves Microsoft). */
  SANDBOX_CA_FILE: z.string().optional(),
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  MICROSOFT_CLIENT_ID: z.string().optional(),
  MICROSOFT_CLIENT_SECRET: z.string().optional(),
  MICROSOFT_TENANT: z.string().default('common'),
  HUBSPOT_CLIENT_ID: z.string().optional(),
  HUBSPOT_CLIENT_SECRET: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;
