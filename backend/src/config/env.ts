import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ProviderName } from '../ai/types.js';
import { REDACTION_KINDS, type RedactionKind } from '../ai/privacy/redaction-patterns.js';
import { toErrorDetails } from '../lib/error-details.js';

/**
 * The only place that reads `process.env`. Everything is parsed once at boot; every problem is
 * collected so an operator fixes the whole `.env` in one go instead of one error per restart.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * A `.env` in the repository root applies to `npm start` and the shell commands outside Docker;
 * variables already in the environment win.
 */
export function loadDotEnvFile(): void {
  const envFile = path.join(repoRoot, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}

const PLACEHOLDER_SECRETS = new Set([
  'change-me',
  'changeme',
  'secret',
  'your-secret-key',
  'replace-me-with-at-least-32-random-characters',
]);

/**
 * Addresses reserved for documentation and tests (RFC 2606, RFC 6761): nobody can receive mail
 * there, so in production such an ADMIN_EMAIL entry is a placeholder left in `.env`.
 */
export function isPlaceholderEmail(email: string): boolean {
  const domain = email.split('@')[1] ?? '';
  return (
    /(^|\.)example\.(com|org|net)$/.test(domain) ||
    /(^|\.)(example|test|invalid|localhost)$/.test(domain)
  );
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const emailList = z
  .string()
  .default('')
  .transform((raw) =>
    raw
      .split(/[\s,;]+/)
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );

/** "15m", "900s", "1h" or a bare number of seconds. */
const durationSeconds = z
  .string()
  .regex(/^\d+\s*[smhd]?$/, {
    message: 'Use a number with an optional unit: 900, 900s, 15m, 1h, 7d',
  })
  .transform((raw) => {
    const match = /^(\d+)\s*([smhd]?)$/.exec(raw)!;
    const units = { '': 1, s: 1, m: 60, h: 3600, d: 86400 } as const;
    return Number(match[1]) * units[match[2] as keyof typeof units];
  });

/** "30s", "500ms", "2m" or a bare number of milliseconds. */
const durationMs = z
  .string()
  .regex(/^\d+\s*(ms|s|m)?$/, { message: 'Use a number with an optional unit: 500ms, 30s, 2m' })
  .transform((raw) => {
    const match = /^(\d+)\s*(ms|s|m)?$/.exec(raw)!;
    const units = { ms: 1, s: 1000, m: 60_000 } as const;
    return Number(match[1]) * (match[2] ? units[match[2] as keyof typeof units] : 1);
  });

/** "2mb", "500kb" or a bare number of bytes. */
const sizeBytes = z
  .string()
  .regex(/^\d+\s*(b|kb|mb)?$/i, { message: 'Use a size like 500kb or 2mb' })
  .transform((raw) => {
    const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw)!;
    const units = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
    const unit = (match[2]?.toLowerCase() ?? 'b') as keyof typeof units;
    return Number(match[1]) * units[unit];
  });

/** One school sign-in (OpenID Connect authorization code + PKCE). */
const oidcProviderSchema = z.object({
  /** In the callback URL: /api/auth/oidc/<id>/callback. */
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, { message: 'id: lower-case letters, digits, dashes' }),
  /** The button: "Sign in with <label>". */
  label: z.string().min(1).max(60),
  issuer: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1).optional(),
  /** Only addresses in these domains may sign in (none: any verified address). */
  allowedDomains: z.array(z.string().min(1)).default([]),
});

const providerName = z.enum(['anthropic', 'openai', 'google', 'mock']);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    TRUST_PROXY: z.string().default('false'),

    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'letters, digits, _ . - (at most 40)' })
      .default('hintbook'),
    BACKEND_REPLICAS: z.coerce.number().int().min(1).max(1000).default(1),
    DRAIN_TIMEOUT: durationMs.default(30_000),

    JWT_SECRET_KEY: z.string().optional(),
    ACCESS_TOKEN_TTL: durationSeconds.default(15 * 60),
    REFRESH_TOKEN_TTL: durationSeconds.default(30 * 86400),
    BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(12),
    BCRYPT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(64).default(4),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCKOUT: durationSeconds.default(15 * 60),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),

    ADMIN_EMAIL: emailList,
    ADMIN_CAN_READ_TRANSCRIPTS: booleanFromEnv.default(false),
    REGISTRATION_MODE: z.enum(['open', 'domain', 'closed']).default('open'),
    EMAIL_VERIFICATION: z.enum(['admins', 'everyone']).default('admins'),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().optional(),
    PASSWORD_RESET_TTL: durationSeconds.default(30 * 60),
    EMAIL_VERIFICATION_TTL: durationSeconds.default(7 * 86400),
    INVITATION_TTL: durationSeconds.default(14 * 86400),
    OIDC_PROVIDERS: z
      .string()
      .default('[]')
      .transform((raw, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON list (see .env.example)' });
          return z.NEVER;
        }
      })
      .pipe(z.array(oidcProviderSchema))
      .refine((list) => new Set(list.map((p) => p.id)).size === list.length, {
        message: 'has two providers with the same id',
      }),
    ALLOWED_EMAIL_DOMAINS: emailList,

    JSON_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, { message: 'Use a size like 100kb or 1mb' })
      .default('1mb'),
    SERVE_STATIC: booleanFromEnv.default(true),
    STATIC_DIR: z.string().default(path.join(repoRoot, 'frontend', 'dist')),
    JUPYTERLITE_DIR: z.string().default(path.join(repoRoot, 'jupyterlite', 'dist')),
    MIGRATIONS_DIR: z.string().default(path.join(repoRoot, 'migrations')),

    LLM_PROVIDER: providerName.optional(),
    LLM_FALLBACK_PROVIDERS: z
      .string()
      .default('')
      .transform((raw) => raw.split(/[\s,;]+/).filter(Boolean))
      .pipe(z.array(providerName)),
    ANTHROPIC_API_KEY: z.string().optional(),
    ANTHROPIC_BASE_URL: z.url().optional(),
    ANTHROPIC_MODEL: z.string().default('claude-sonnet-5-5'),
    ANTHROPIC_SMALL_MODEL: z.string().default('claude-haiku-4-5'),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().default('gpt-5-mini'),
    OPENAI_SMALL_MODEL: z.string().default('gpt-5-nano'),
    GOOGLE_API_KEY: z.string().optional(),
    GOOGLE_BASE_URL: z.url().optional(),
    GOOGLE_MODEL: z.string().default('gemini-2.5-flash'),
    GOOGLE_SMALL_MODEL: z.string().default('gemini-2.5-flash-lite'),
    LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(32_000).default(1024),
    LLM_CONNECT_TIMEOUT: durationMs.default(10_000),
    LLM_FIRST_TOKEN_TIMEOUT: durationMs.default(30_000),
    LLM_TOKEN_GAP_TIMEOUT: durationMs.default(20_000),
    LLM_CLASSIFICATION_TIMEOUT: durationMs.default(8_000),
    LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    LLM_CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LLM_CIRCUIT_COOLDOWN: durationMs.default(30_000),
    LLM_PRICING: z
      .string()
      .default('{}')
      .transform((raw, ctx) => {
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(
        z.record(
          z.string(),
          z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }),
        ),
      ),

    CHAT_TURNS_PER_MINUTE: z.coerce.number().int().min(1).default(6),
    CHAT_DAILY_TOKENS: z.coerce.number().int().min(0).default(60_000),
    CHAT_WEEKLY_TOKENS: z.coerce.number().int().min(0).default(250_000),
    MONTHLY_BUDGET_USD: z.coerce.number().min(0).default(50),
    CHAT_MESSAGE_MAX_LENGTH: z.coerce.number().int().min(100).max(20_000).default(4000),
    CHAT_HISTORY_TOKENS: z.coerce.number().int().min(500).max(100_000).default(6000),
    SOCKET_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100).default(8),
    PRIVACY_REDACTION: z.enum(['on', 'off']).default('on'),
    PRIVACY_REDACTION_KINDS: z
      .string()
      .default(REDACTION_KINDS.join(','))
      .transform((raw) => raw.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.enum(REDACTION_KINDS)).min(1)),
    CHAT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
    NOTEBOOK_MAX_BYTES: sizeBytes.pipe(z.number().int().min(10_000)).default(2 * 1024 * 1024),
    PERSONAL_NOTEBOOKS_MAX: z.coerce.number().int().min(0).max(10_000).default(50),
    EXERCISE_CHECK_TIME_LIMIT: durationMs.default(10_000),
    SEED_STARTER_MODULE: booleanFromEnv.default(true),
    STARTER_MODULE_DIR: z
      .string()
      .default(path.join(repoRoot, 'backend', 'content', 'starter-module')),
    EMBEDDING_PROVIDER: z.enum(['cohere', 'voyage']).optional(),
    EMBEDDING_MODEL: z.string().optional(),
    // The vector column is created as vector(1024) by a migration; another size would need a
    // new migration, so it is refused here rather than failing at the first insert.
    EMBEDDING_DIMENSIONS: z.coerce
      .number()
      .int()
      .refine((value) => value === 1024, {
        message: 'Must be 1024: the embedding column is vector(1024)',
      })
      .default(1024),
    COHERE_BASE_URL: z.url().optional(),
    VOYAGE_BASE_URL: z.url().optional(),
    COHERE_API_KEY: z.string().optional(),
    VOYAGE_API_KEY: z.string().optional(),
    RETRIEVAL_TOKEN_BUDGET: z.coerce.number().int().min(0).max(20_000).default(1500),
    RETRIEVAL_MAX_PASSAGES: z.coerce.number().int().min(0).max(20).default(6),
    RETRIEVAL_QUERY_TIMEOUT: z.coerce.number().int().min(100).max(30_000).default(2000),
    RETRIEVAL_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.3),

    // off: nothing is recorded (no /metrics, no System page); for measuring what metrics cost.
    METRICS_RECORDING: z.enum(['on', 'off']).default('on'),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    METRICS_HOST: z.string().default('127.0.0.1'),
    METRICS_TOKEN: z
      .string()
      .min(16, { message: 'use at least 16 characters (openssl rand -hex 24)' })
      .optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_SERVICE_NAME: z.string().default('hintbook-backend'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const secret = env.JWT_SECRET_KEY;
    if (!secret) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET_KEY'],
        message: 'is required in production',
      });
    } else if (PLACEHOLDER_SECRETS.has(secret.toLowerCase()) || /^(.)\1*$/.test(secret)) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET_KEY'],
        message: 'is a placeholder; generate one with `openssl rand -base64 48`',
      });
    } else if (secret.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET_KEY'],
        message: `is ${secret.length} characters; use at least 32 (openssl rand -base64 48)`,
      });
    }
    const placeholders = env.ADMIN_EMAIL.filter(isPlaceholderEmail);
    if (placeholders.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_EMAIL'],
        message: `lists placeholder ${placeholders.length === 1 ? 'address' : 'addresses'} ${placeholders.join(', ')}: list your admins' real addresses`,
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production (the embedded database is for trying Hintbook out)',
      });
    }
  })
  .superRefine(refuseReplicasWithoutSharedState)
  .superRefine((env, ctx) => {
    const malformed = env.ADMIN_EMAIL.filter((email) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email));
    if (malformed.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_EMAIL'],
        message: `has entries that are not email addresses: ${malformed.join(', ')}`,
      });
    }
    if (env.METRICS_RECORDING === 'off' && env.METRICS_PORT !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PORT'],
        message: 'is set but METRICS_RECORDING=off: the scrape would be empty',
      });
    }
    if (env.EMAIL_VERIFICATION === 'everyone' && !env.SMTP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMAIL_VERIFICATION'],
        message: '=everyone needs SMTP_URL: nobody could receive the link',
      });
    }
    if (env.NODE_ENV === 'production' && env.SMTP_URL && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required with SMTP_URL in production: links in emails point there',
      });
    }
    if (env.REGISTRATION_MODE === 'domain' && env.ALLOWED_EMAIL_DOMAINS.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_EMAIL_DOMAINS'],
        message: 'must list at least one domain when REGISTRATION_MODE=domain',
      });
    }
  });

/**
 * Several backends share sockets, stops and rate limits through Redis and everything else
 * through PostgreSQL; without them each replica would be an island that silently drops stops.
 */
function refuseReplicasWithoutSharedState(
  env: {
    BACKEND_REPLICAS: number;
    REDIS_URL?: string | undefined;
    DATABASE_URL?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  if (env.BACKEND_REPLICAS <= 1) return;
  if (!env.REDIS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: `is required with BACKEND_REPLICAS=${env.BACKEND_REPLICAS}: replicas share sockets, stops and rate limits through Redis`,
    });
  }
  if (!env.DATABASE_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: `is required with BACKEND_REPLICAS=${env.BACKEND_REPLICAS}: the embedded database belongs to one process`,
    });
  }
}

function parseTrustProxy(raw: string): boolean | number | string {
  if (raw === 'true') return true;
  if (raw === 'false' || raw === '') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // a subnet list such as "loopback, 10.0.0.0/8", passed to Express as is
}

export type Config = ReturnType<typeof toConfig>;

function resolveChain(env: z.infer<typeof envSchema>): ProviderName[] {
  const configured: Array<ProviderName | undefined> = env.LLM_PROVIDER
    ? [env.LLM_PROVIDER, ...env.LLM_FALLBACK_PROVIDERS]
    : [
        env.ANTHROPIC_API_KEY ? 'anthropic' : undefined,
        env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? 'openai' : undefined,
        env.GOOGLE_API_KEY ? 'google' : undefined,
      ];
  return configured.filter(
    (name, index, all): name is ProviderName => Boolean(name) && all.indexOf(name) === index,
  );
}

function publicUrlOf(env: z.infer<typeof envSchema>): URL {
  return new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
}

function toConfig(env: z.infer<typeof envSchema>) {
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    database: {
      url: env.DATABASE_URL,
      dataDir: path.resolve(env.DATA_DIR),
      poolMax: env.DATABASE_POOL_MAX,
      migrationsDir: path.resolve(env.MIGRATIONS_DIR),
    },
    cluster: {
      /** Absent: one process, everything in memory (the embedded default). */
      redisUrl: env.REDIS_URL,
      /** Before every key and channel, so two installations can share one Redis. */
      redisKeyPrefix: env.REDIS_KEY_PREFIX,
      /** What the operator declared; only checked (several need REDIS_URL), never spawned. */
      replicas: env.BACKEND_REPLICAS,
      /** On SIGTERM, how long running answers may take to finish before they are interrupted. */
      drainTimeoutMs: env.DRAIN_TIMEOUT,
    },
    auth: {
      /** Absent outside production: main.ts then keeps a generated secret under DATA_DIR. */
      jwtSecret: env.JWT_SECRET_KEY,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
      bcryptRounds: env.BCRYPT_ROUNDS,
      bcryptMaxConcurrent: env.BCRYPT_MAX_CONCURRENT,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginLockoutSeconds: env.LOGIN_LOCKOUT,
      rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      adminEmails: env.ADMIN_EMAIL,
      registrationMode: env.REGISTRATION_MODE,
      allowedEmailDomains: env.ALLOWED_EMAIL_DOMAINS.map((domain) => domain.replace(/^@/, '')),
      cookieSecure: env.NODE_ENV === 'production',
    },
    mail: {
      /** Absent: no email is sent; admins hand out reset links and verify admins from a shell. */
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM ?? `Hintbook <no-reply@${publicUrlOf(env).hostname}>`,
      /** Where links in emails point (the address students open Hintbook at). */
      publicUrl: publicUrlOf(env).href.replace(/\/$/, ''),
      /** `admins`: only admin rights wait for a verified address; `everyone`: all use does. */
      verification: env.EMAIL_VERIFICATION,
      passwordResetTtlSeconds: env.PASSWORD_RESET_TTL,
      verificationTtlSeconds: env.EMAIL_VERIFICATION_TTL,
      /** How long a class-roster invitation link works. */
      invitationTtlSeconds: env.INVITATION_TTL,
    },
    oidc: {
      providers: env.OIDC_PROVIDERS.map((provider) => ({
        ...provider,
        allowedDomains: provider.allowedDomains.map((domain) =>
          domain.toLowerCase().replace(/^@/, ''),
        ),
      })),
      /** http:// issuers only outside production (tests and local identity servers). */
      allowInsecureIssuers: env.NODE_ENV !== 'production',
    },
    admin: {
      /** Admins may open students' chat transcripts (each view is audit-logged). */
      canReadTranscripts: env.ADMIN_CAN_READ_TRANSCRIPTS,
    },
    http: {
      jsonBodyLimit: env.JSON_BODY_LIMIT.toLowerCase(),
      serveStatic: env.SERVE_STATIC,
      staticDir: path.resolve(env.STATIC_DIR),
      jupyterliteDir: path.resolve(env.JUPYTERLITE_DIR),
    },
    ai: {
      /**
       * Primary provider, then fallbacks in order. Without LLM_PROVIDER, every vendor with a key
       * (or an OpenAI-compatible base URL) is used in a fixed order; `mock` is only ever explicit.
       */
      chain: resolveChain(env),
      providers: {
        anthropic: {
          apiKey: env.ANTHROPIC_API_KEY,
          baseUrl: env.ANTHROPIC_BASE_URL,
          model: env.ANTHROPIC_MODEL,
          smallModel: env.ANTHROPIC_SMALL_MODEL,
        },
        openai: {
          apiKey: env.OPENAI_API_KEY,
          baseUrl: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          smallModel: env.OPENAI_SMALL_MODEL,
        },
        google: {
          apiKey: env.GOOGLE_API_KEY,
          baseUrl: env.GOOGLE_BASE_URL,
          model: env.GOOGLE_MODEL,
          smallModel: env.GOOGLE_SMALL_MODEL,
        },
      },
      maxOutputTokens: env.LLM_MAX_OUTPUT_TOKENS,
      timeouts: {
        connectMs: env.LLM_CONNECT_TIMEOUT,
        firstTokenMs: env.LLM_FIRST_TOKEN_TIMEOUT,
        tokenGapMs: env.LLM_TOKEN_GAP_TIMEOUT,
        classificationMs: env.LLM_CLASSIFICATION_TIMEOUT,
      },
      maxRetries: env.LLM_MAX_RETRIES,
      circuitBreaker: {
        failureThreshold: env.LLM_CIRCUIT_FAILURES,
        cooldownMs: env.LLM_CIRCUIT_COOLDOWN,
      },
      pricingOverrides: env.LLM_PRICING,
      hasLlmKey: Boolean(
        env.ANTHROPIC_API_KEY || env.OPENAI_API_KEY || env.OPENAI_BASE_URL || env.GOOGLE_API_KEY,
      ),
      hasEmbeddingKey: Boolean(env.COHERE_API_KEY || env.VOYAGE_API_KEY),
    },
    embeddings: {
      provider: env.EMBEDDING_PROVIDER,
      model: env.EMBEDDING_MODEL,
      dimensions: env.EMBEDDING_DIMENSIONS,
      cohere: { apiKey: env.COHERE_API_KEY, baseUrl: env.COHERE_BASE_URL },
      voyage: { apiKey: env.VOYAGE_API_KEY, baseUrl: env.VOYAGE_BASE_URL },
      timeoutMs: 30_000,
      maxRetries: 3,
    },
    retrieval: {
      /** Tokens of course passages one answer may be given (0 turns retrieval off). */
      tokenBudget: env.RETRIEVAL_TOKEN_BUDGET,
      maxPassages: env.RETRIEVAL_MAX_PASSAGES,
      /** How long a question's embedding may take before the answer goes on with full-text hits. */
      queryTimeoutMs: env.RETRIEVAL_QUERY_TIMEOUT,
      /** Vector hits less similar than this (cosine) are left out as unrelated. */
      minSimilarity: env.RETRIEVAL_MIN_SIMILARITY,
    },
    chat: {
      turnsPerMinute: env.CHAT_TURNS_PER_MINUTE,
      dailyTokens: env.CHAT_DAILY_TOKENS,
      weeklyTokens: env.CHAT_WEEKLY_TOKENS,
      monthlyBudgetUsd: env.MONTHLY_BUDGET_USD,
      messageMaxLength: env.CHAT_MESSAGE_MAX_LENGTH,
      historyTokens: env.CHAT_HISTORY_TOKENS,
      socketMaxConnectionsPerUser: env.SOCKET_MAX_CONNECTIONS_PER_USER,
    },
    privacy: {
      /** What is replaced by placeholders before text leaves for a provider (empty: nothing). */
      redactionKinds: new Set<RedactionKind>(
        env.PRIVACY_REDACTION === 'on' ? env.PRIVACY_REDACTION_KINDS : [],
      ),
      /** Conversations untouched for longer are deleted nightly; 0 keeps them forever. */
      chatRetentionDays: env.CHAT_RETENTION_DAYS,
    },
    observability: {
      /** False (METRICS_RECORDING=off): no metric is recorded, no wrapper is installed. */
      isRecording: env.METRICS_RECORDING === 'on',
      /** Prometheus scrapes `/metrics` here; absent: no metrics listener (nothing exposed). */
      metricsPort: env.METRICS_PORT,
      metricsHost: env.METRICS_HOST,
      /** When set, a scrape needs `Authorization: Bearer <token>`. */
      metricsToken: env.METRICS_TOKEN,
      /** OpenTelemetry traces go here (OTLP/HTTP); absent: tracing is not even loaded. */
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
    },
    notebooks: {
      /** Largest notebook a save or upload may store (its JSON text). */
      maxBytes: env.NOTEBOOK_MAX_BYTES,
      personalMax: env.PERSONAL_NOTEBOOKS_MAX,
      /** How long a Check may run in the student's kernel before it is stopped. */
      checkTimeLimitMs: env.EXERCISE_CHECK_TIME_LIMIT,
      seedStarterModule: env.SEED_STARTER_MODULE,
      starterModuleDir: path.resolve(env.STARTER_MODULE_DIR),
    },
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (default: `process.env`); throws ConfigError listing every problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings in .env files mean "not set", not "set to nothing".
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      toErrorDetails(result.error.issues).map(({ path, message }) => `${path || 'env'} ${message}`),
    );
  }
  return toConfig(result.data);
}

const tracingSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('hintbook-backend'),
});

/**
 * Tracing is decided before the rest of the configuration is read (it must start before the
 * modules it instruments load). An invalid endpoint here is reported by loadConfig right after.
 */
export function loadTracingSettings(
  source: Record<string, string | undefined> = process.env,
): { endpoint: string; serviceName: string } | undefined {
  const parsed = tracingSchema.safeParse({
    OTEL_EXPORTER_OTLP_ENDPOINT: source.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    OTEL_SERVICE_NAME: source.OTEL_SERVICE_NAME || undefined,
  });
  if (!parsed.success || !parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return {
    endpoint: parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: parsed.data.OTEL_SERVICE_NAME,
  };
}

/** Non-fatal problems worth a line in the boot log. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.ai.chain.length === 0) {
    warnings.push('No LLM provider key is set: the tutor tells students it is not set up yet.');
  } else if (config.ai.chain.includes('mock')) {
    warnings.push('LLM_PROVIDER=mock: the tutor gives canned demo answers, not real help.');
  }
  if (!config.ai.hasEmbeddingKey) {
    warnings.push('No embedding key is set: course retrieval will use full-text search only.');
  }
  if (!config.database.url) {
    warnings.push(`No DATABASE_URL: using the embedded database in ${config.database.dataDir}.`);
  }
  if (config.auth.adminEmails.length === 0) {
    warnings.push('ADMIN_EMAIL is empty: nobody can open the admin panel.');
  }
  const { metricsPort, metricsHost, metricsToken } = config.observability;
  if (metricsPort !== undefined && !metricsToken && !isLoopbackHost(metricsHost)) {
    warnings.push(
      `Metrics are served on ${metricsHost}:${metricsPort} without METRICS_TOKEN: keep that port off the internet.`,
    );
  }
  return warnings;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
