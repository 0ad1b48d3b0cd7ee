import * as v from 'valibot';
import { fromPackageRoot } from './core/package-root.ts';
import { analyzeEnvText, EnvFileUnreadable, readEnvFileText } from './env-file.ts';

/**
 * The only module that reads process.env. It validates everything once at start-up and
 * fails fast naming the variable; the typed result is passed to whoever needs it.
 */

/** Blank values count as unset, as a `.env` line like `DISCORD_TOKEN=` means. */
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** An optional variable: missing and blank both mean unset; otherwise every check must pass. */
const unsetOr = <T extends v.GenericSchema>(schema: T) =>
  v.optional(v.pipe(v.unknown(), v.transform(blankAsUnset), v.optional(schema)));

const optionalText = (...checks: v.PipeItem<string, string, v.BaseIssue<unknown>>[]) =>
  unsetOr(v.pipe(v.string(), v.trim(), ...checks));

const httpUrl = [
  v.url('must be a URL such as http://127.0.0.1:8081'),
  v.regex(/^https?:\/\//, 'must start with http:// or https://'),
] as const;

const isUrl = (value: string) => {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

const optionalInt = (min: number, max: number, message: string) =>
  unsetOr(
    v.pipe(
      v.union([v.string(), v.number()], message),
      v.transform(Number),
      v.number(message),
      v.integer(message),
      v.minValue(min, message),
      v.maxValue(max, message),
    ),
  );

/** Discord ids (snowflakes): a 64-bit number, in decimal. */
const SNOWFLAKE = /^\d{15,22}$/;

// --- Analytics (issue 11): the question log, its database and its retention ---
const ANALYTICS_ENV = {
  QUESTION_LOG: unsetOr(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.picklist(['on', 'off', 'true', 'false', '1', '0'], 'must be on or off'),
    ),
  ),
  DATABASE_PATH: optionalText(
    v.check((path) => !path.includes('\0'), 'must be a file path such as var/analytics.sqlite'),
    v.check((path) => !path.endsWith('/'), 'must name a file, not a directory (e.g. var/analytics.sqlite)'),
  ),
  // May carry a password: validated without ever being echoed.
  DATABASE_URL: optionalText(
    v.regex(
      /^postgres(ql)?:\/\/[^\s]+$/,
      'must be a PostgreSQL URL such as postgres://user:password@host:5432/dbname',
    ),
    v.check(isUrl, 'is not a valid URL: percent-encode any "#", "/", "?" or "@" in the password'),
  ),
  ANALYTICS_SECRET: optionalText(
    v.minLength(16, 'must be at least 16 characters (e.g. the output of `openssl rand -hex 32`)'),
  ),
  ANALYTICS_RETENTION_DAYS: optionalInt(1, 3_650, 'must be a whole number of days from 1 to 3650'),
};

const EnvSchema = v.object({
  LOG_LEVEL: unsetOr(
    v.picklist(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'must be one of fatal, error, warn, info, debug, trace, silent',
    ),
  ),
  KNOWLEDGE_FILE: optionalText(),
  RATE_LIMIT_PER_MINUTE: optionalInt(1, 10_000, 'must be a whole number from 1 to 10000'),
  SHUTDOWN_TIMEOUT_MS: optionalInt(100, 300_000, 'must be a whole number of milliseconds from 100 to 300000'),
  // May carry a password: validated without ever being echoed.
  REDIS_URL: optionalText(
    v.regex(
      /^rediss?:\/\/[^\s]+$/,
      'must be a Redis URL such as redis://127.0.0.1:6379 (or rediss:// for TLS)',
    ),
    // What the Redis client parses it with: a "#", "/" or "?" in the password must be percent-encoded.
    v.check(isUrl, 'is not a valid URL: percent-encode any "#", "/", "?" or "@" in the password'),
  ),
  REDIS_KEY_PREFIX: optionalText(
    v.regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, "_", ".", ":" and "-"'),
  ),

  TELEGRAM_BOT_TOKEN: optionalText(
    v.regex(
      /^\d{5,15}:[A-Za-z0-9_-]{30,50}$/,
      'does not look like a Telegram token (123456789:AA... from @BotFather)',
    ),
  ),
  TELEGRAM_API_ROOT: optionalText(...httpUrl),
  TELEGRAM_WEBHOOK_URL: optionalText(v.url('must be the public https URL Telegram should call')),
  TELEGRAM_WEBHOOK_PORT: optionalInt(1, 65535, 'must be a port from 1 to 65535'),
  TELEGRAM_WEBHOOK_HOST: optionalText(
    v.regex(/^[A-Za-z0-9.:-]{1,253}$/, 'must be an IP address or host name, such as 127.0.0.1 or 0.0.0.0'),
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalText(
    v.regex(/^[A-Za-z0-9_-]{1,256}$/, 'may only contain A-Z, a-z, 0-9, _ and - (1-256 characters)'),
  ),

  DISCORD_TOKEN: optionalText(
    v.regex(
      /^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/,
      'does not look like a Discord bot token (Developer Portal > Bot > Reset Token)',
    ),
  ),
  DISCORD_APPLICATION_ID: optionalText(
    v.regex(SNOWFLAKE, 'must be the numeric application id (optional: it is read from DISCORD_TOKEN)'),
  ),
  DISCORD_GUILD_ID: optionalText(v.regex(SNOWFLAKE, 'must be a numeric guild (server) id')),
  DISCORD_API_ROOT: optionalText(...httpUrl),
  ...ANALYTICS_ENV,
  DISCORD_SYNC_COMMANDS: unsetOr(
    v.pipe(
      v.string(),
      v.trim(),
      v.toLowerCase(),
      v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
    ),
  ),
});

export interface TelegramConfig {
  readonly token: string;
  readonly apiRoot?: string;
  readonly webhook?: {
    readonly url: string;
    readonly port: number;
    /** Interface to listen on; the adapter's default (loopback) when unset. */
    readonly host?: string;
    readonly secret?: string;
  };
}

export interface DiscordConfig {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId?: string;
  readonly apiRoot?: string;
  readonly syncCommands: boolean;
}

/** Where analytics events live: a SQLite file (the default) or a PostgreSQL server. */
export type AnalyticsDatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface AnalyticsConfig {
  /** False with QUESTION_LOG=off: nothing is recorded (retention and forget still run on old data). */
  readonly questionLog: boolean;
  readonly database: AnalyticsDatabaseConfig;
  /** The HMAC key of pseudonymous user keys; unset: generated once beside the SQLite file. */
  readonly secret?: string;
  readonly retentionDays: number;
}

export interface AppConfig {
  readonly logLevel: NonNullable<v.InferOutput<typeof EnvSchema>['LOG_LEVEL']>;
  readonly knowledgeFile?: string;
  readonly rateLimitPerMinute: number;
  /** SIGTERM/SIGINT to exit, across every platform; what is still in flight then is logged and dropped. */
  readonly shutdownTimeoutMs: number;
  /** Shared state (context, rate limits, Telegram update ids) for several processes; memory without. */
  readonly redisUrl?: string;
  /** Namespace of this bot's keys in Redis, so bots sharing one Redis never share state. */
  readonly redisKeyPrefix?: string;
  readonly telegram?: TelegramConfig;
  readonly discord?: DiscordConfig;
  readonly analytics: AnalyticsConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Configuration problem:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * What api.telegram.org's setWebhook would refuse ("An HTTPS URL must be provided for webhook",
 * "Webhook can be set up only on ports 80, 88, 443 or 8443"), said at start-up instead. A local
 * Bot API server (TELEGRAM_API_ROOT) accepts http:// and any port, so it is not checked then.
 */
function telegramWebhookProblems(url: URL): string[] {
  const problems: string[] = [];
  if (url.protocol !== 'https:')
    problems.push(
      'TELEGRAM_WEBHOOK_URL: must start with https:// (Telegram delivers webhooks over HTTPS only: ' +
        'put a TLS proxy in front of TELEGRAM_WEBHOOK_PORT, or leave the variable unset for long polling)',
    );
  else if (!['', '443', '80', '88', '8443'].includes(url.port))
    problems.push(
      'TELEGRAM_WEBHOOK_URL: Telegram delivers webhooks only to ports 443, 80, 88 and 8443; the bot itself ' +
        'may listen on any TELEGRAM_WEBHOOK_PORT behind the proxy',
    );
  return problems;
}

const isTrue = (value: string | undefined) => value === 'true' || value === '1' || value === 'yes';
const isOn = (value: string) => value === 'on' || isTrue(value);

/** Parses with `schema`, or throws a ConfigError naming each variable and rule, never a value. */
function parseEnv<T extends v.GenericSchema>(schema: T, env: NodeJS.ProcessEnv): v.InferOutput<T> {
  const parsed = v.safeParse(schema, env);
  if (parsed.success) return parsed.output;
  // Messages name the variable and the rule, never the value: it may be a secret.
  throw new ConfigError(
    parsed.issues.map(
      (issue) => `${issue.path?.map((p) => String(p.key)).join('.') ?? '(environment)'}: ${issue.message}`,
    ),
  );
}

/**
 * The application id a bot token carries: its first dot-separated segment is the base64 of the
 * bot user's id, which is the application's id. Undefined when that segment is not a snowflake.
 */
export function applicationIdFromToken(token: string): string | undefined {
  const first = token.split('.')[0] ?? '';
  // Node's base64 decoder also reads the URL-safe alphabet and missing padding.
  const decoded = Buffer.from(first, 'base64').toString('latin1');
  return SNOWFLAKE.test(decoded) && BigInt(decoded) < 2n ** 64n ? decoded : undefined;
}

const DISCORD_APPLICATION_ID_HINT =
  'Developer Portal > your application > General Information > Application ID';

/** What `npm run invite-url` and `deploy-commands --dry-run` need: no token required. */
export interface DiscordApplicationConfig {
  /** From DISCORD_APPLICATION_ID, else read from DISCORD_TOKEN; undefined when neither gives one. */
  readonly applicationId?: string;
  readonly guildId?: string;
}

const DiscordApplicationSchema = v.pick(EnvSchema, [
  'DISCORD_TOKEN',
  'DISCORD_APPLICATION_ID',
  'DISCORD_GUILD_ID',
]);

/** Validates only the Discord ids (and the token's shape, when one is set). Never echoes a value. */
export function loadDiscordApplication(env: NodeJS.ProcessEnv = readProcessEnv()): DiscordApplicationConfig {
  const e = parseEnv(DiscordApplicationSchema, env);
  const applicationId =
    e.DISCORD_APPLICATION_ID ?? (e.DISCORD_TOKEN ? applicationIdFromToken(e.DISCORD_TOKEN) : undefined);
  return {
    ...(applicationId ? { applicationId } : {}),
    ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
  };
}

/** Validates an environment (process.env by default, after loading .env). Never echoes a value. */
export function loadConfig(env: NodeJS.ProcessEnv = readProcessEnv()): AppConfig {
  const e = parseEnv(EnvSchema, env);
  const problems: string[] = [];

  let telegram: TelegramConfig | undefined;
  if (e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_API_ROOT)
    problems.push(...telegramWebhookProblems(new URL(e.TELEGRAM_WEBHOOK_URL)));
  if (e.TELEGRAM_BOT_TOKEN) {
    telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      ...(e.TELEGRAM_API_ROOT ? { apiRoot: e.TELEGRAM_API_ROOT } : {}),
      ...(e.TELEGRAM_WEBHOOK_URL
        ? {
            webhook: {
              url: e.TELEGRAM_WEBHOOK_URL,
              port: e.TELEGRAM_WEBHOOK_PORT ?? 8443,
              ...(e.TELEGRAM_WEBHOOK_HOST ? { host: e.TELEGRAM_WEBHOOK_HOST } : {}),
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
    // Set explicitly, it wins: a few old applications have a bot user whose id is not theirs.
    const applicationId =
      e.DISCORD_APPLICATION_ID ?? (e.DISCORD_TOKEN ? applicationIdFromToken(e.DISCORD_TOKEN) : undefined);
    if (e.DISCORD_TOKEN && !applicationId) {
      problems.push(
        `DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set and its first part does not carry the id (${DISCORD_APPLICATION_ID_HINT})`,
      );
    }
    if (e.DISCORD_TOKEN && applicationId) {
      discord = {
        token: e.DISCORD_TOKEN,
        applicationId,
        ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
        ...(e.DISCORD_API_ROOT ? { apiRoot: e.DISCORD_API_ROOT } : {}),
        syncCommands: isTrue(e.DISCORD_SYNC_COMMANDS),
      };
    }
  }
  const analytics = analyticsConfig(e, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    logLevel: e.LOG_LEVEL ?? 'info',
    ...(e.KNOWLEDGE_FILE ? { knowledgeFile: e.KNOWLEDGE_FILE } : {}),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE ?? 12,
    // Under Docker's default 10 s grace before SIGKILL, with room for the logs.
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 8_000,
    ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL, redisKeyPrefix: e.REDIS_KEY_PREFIX ?? 'article-qa:' } : {}),
    ...(telegram ? { telegram } : {}),
    ...(discord ? { discord } : {}),
    analytics,
  };
}

/**
 * The checkout's var/, wherever the process starts (as the knowledge base is found): `npm run
 * report` from another directory reads the log the bot writes. A relative DATABASE_PATH that is
 * set explicitly stays relative to the working directory, as paths typed in a shell are.
 */
export const DEFAULT_DATABASE_PATH = fromPackageRoot('var/analytics.sqlite');

function analyticsConfig(e: v.InferOutput<typeof EnvSchema>, problems: string[]): AnalyticsConfig {
  if (e.DATABASE_URL && e.DATABASE_PATH) {
    problems.push('DATABASE_PATH: set either DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL), not both');
  }
  // PostgreSQL serves several processes or hosts, which cannot share a generated file, and a key
  // kept in the same database as the pseudonyms would let anyone reading it re-identify users
  // (platform ids are enumerable): such deployments set the secret as they set DATABASE_URL.
  if (e.DATABASE_URL && !e.ANALYTICS_SECRET) {
    problems.push(
      'ANALYTICS_SECRET: required when DATABASE_URL is set (e.g. the output of `openssl rand -hex 32`, the same for every process)',
    );
  }
  return {
    questionLog: e.QUESTION_LOG === undefined || isOn(e.QUESTION_LOG),
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', path: e.DATABASE_PATH ?? DEFAULT_DATABASE_PATH },
    ...(e.ANALYTICS_SECRET ? { secret: e.ANALYTICS_SECRET } : {}),
    retentionDays: e.ANALYTICS_RETENTION_DAYS ?? 90,
  };
}

/** Names read by libraries in this process, not by us: set in `.env` without a warning. */
const PASS_THROUGH = new Set([
  'DEBUG', // the debug module behind telegraf's logs
  'NODE_ENV',
  'SHARDS', // discord.js under a ShardingManager
  'SHARD_COUNT',
]);

/**
 * process.env after `.env` (or the file DOTENV_CONFIG_PATH names) is loaded; the environment wins
 * over the file. A file that cannot be read, or a line that would be misread, stops start-up;
 * lines without effect are listed on stderr. Neither names a value.
 */
function readProcessEnv(): NodeJS.ProcessEnv {
  const chosen = process.env.DOTENV_CONFIG_PATH?.trim();
  const label = chosen ? `DOTENV_CONFIG_PATH file ${chosen}` : '.env';
  let text: string | undefined;
  try {
    text = readEnvFileText(chosen || '.env', label, Boolean(chosen));
  } catch (error) {
    if (error instanceof EnvFileUnreadable) throw new ConfigError([error.reason]);
    throw error;
  }
  if (text === undefined) return process.env;

  const known = new Set(Object.keys(EnvSchema.entries));
  const file = analyzeEnvText(text, known, PASS_THROUGH, process.env);
  for (const warning of file.warnings) process.stderr.write(`${label} ${warning}\n`);
  if (file.problems.length) throw new ConfigError(file.problems.map((problem) => `${label} ${problem}`));
  for (const [name, value] of Object.entries(file.values)) {
    if (!Object.hasOwn(process.env, name)) process.env[name] = value;
  }
  return process.env;
}
