import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * The only module that reads process.env. It validates everything once at start-up and
 * fails fast naming the variable; the typed result is passed to whoever needs it.
 */

const optional = (schema: z.ZodString) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const httpUrl = z
  .string()
  .trim()
  .url('must be a URL such as http://127.0.0.1:8081')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://');

const port = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(65535, 'must be a port between 1 and 65535')
    .optional(),
);

const flag = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
  z.enum(['', 'true', 'false', '1', '0', 'yes', 'no']).optional(),
);

const EnvSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KNOWLEDGE_FILE: optional(z.string()),
  RATE_LIMIT_PER_MINUTE: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number().int().min(1, 'must be at least 1').max(10_000).default(12),
  ),

  TELEGRAM_BOT_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(/^\d{5,15}:[A-Za-z0-9_-]{30,50}$/, 'does not look like a Telegram token (123456:ABC...)'),
  ),
  TELEGRAM_API_ROOT: optional(httpUrl),
  TELEGRAM_WEBHOOK_URL: optional(z.string().trim().url('must be the public https URL Telegram should call')),
  TELEGRAM_WEBHOOK_PORT: port,
  TELEGRAM_WEBHOOK_SECRET: optional(
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'may only contain A-Z, a-z, 0-9, _ and - (1-256 characters)'),
  ),

  DISCORD_TOKEN: optional(
    z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/,
        'does not look like a Discord bot token',
      ),
  ),
  DISCORD_APPLICATION_ID: optional(
    z
      .string()
      .trim()
      .regex(/^\d{15,22}$/, 'must be the numeric application id'),
  ),
  DISCORD_GUILD_ID: optional(
    z
      .string()
      .trim()
      .regex(/^\d{15,22}$/, 'must be a numeric guild (server) id'),
  ),
  DISCORD_API_ROOT: optional(httpUrl),
  DISCORD_SYNC_COMMANDS: flag,
});

export interface TelegramConfig {
  readonly token: string;
  readonly apiRoot?: string;
  readonly webhook?: { readonly url: string; readonly port: number; readonly secret?: string };
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  readonly apiRoot?: string;
  readonly syncCommands: boolean;
}

export interface AppConfig {
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly knowledgeFile?: string;
  readonly rateLimitPerMinute: number;
  readonly telegram?: TelegramConfig;
  readonly discord?: DiscordConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Configuration problem:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

const isTrue = (value: string | undefined) => value === 'true' || value === '1' || value === 'yes';

/** Validates an environment (process.env by default, after loading .env). Never echoes a value. */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Messages name the variable and the rule, never the value: it may be a secret.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let telegram: TelegramConfig | undefined;
  if (e.TELEGRAM_BOT_TOKEN) {
    telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {}),
      ...(e.TELEGRAM_WEBHOOK_URL
        ? {
            webhook: {
              url: e.TELEGRAM_WEBHOOK_URL,
              port: e.TELEGRAM_WEBHOOK_PORT ?? 8443,
              ...(e.TELEGRAM_WEBHOOK_SECRET ? { secret: e.TELEGRAM_WEBHOOK_SECRET } : {}),
            },
          }
        : {}),
    };
  } else {
    for (const name of ['TELEGRAM_WEBHOOK_URL', 'TELEGRAM_API_ROOT'] as const) {
      if (e[name])
        problems.push(`${name} is set but TELEGRAM_BOT_TOKEN is not: set the token or remove ${name}`);
    }
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN || e.DISCORD_APPLICATION_ID) {
    if (!e.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set');
    if (!e.DISCORD_APPLICATION_ID) {
      problems.push(
        'DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set (Developer Portal > General Information)',
      );
    }
    if (e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID) {
      discord = {
        token: e.DISCORD_TOKEN,
        applicationId: e.DISCORD_APPLICATION_ID,
        ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
        ...(e.DISCORD_API_ROOT ? { apiRoot: e.DISCORD_API_ROOT } : {}),
        syncCommands: isTrue(e.DISCORD_SYNC_COMMANDS),
      };
    }
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    logLevel: e.LOG_LEVEL,
    ...(e.KNOWLEDGE_FILE ? { knowledgeFile: e.KNOWLEDGE_FILE } : {}),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    ...(telegram ? { telegram } : {}),
    ...(discord ? { discord } : {}),
  };
}

function readProcessEnv(): NodeJS.ProcessEnv {
  loadDotenv({ quiet: true });
  return process.env;
}
