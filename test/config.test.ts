import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_PATH, loadConfig } from '../src/config.ts';
import { configProblems } from './helpers/config.ts';

const TELEGRAM = '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const DISCORD = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
const DEFAULT_ANALYTICS = {
  questionLog: true,
  database: { kind: 'sqlite', path: DEFAULT_DATABASE_PATH },
  retentionDays: 90,
};

describe('configuration', () => {
  it('runs with nothing set: the console chat', () => {
    expect(loadConfig({})).toEqual({
      logLevel: 'info',
      rateLimitPerMinute: 12,
      shutdownTimeoutMs: 8_000,
      analytics: DEFAULT_ANALYTICS,
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '', DISCORD_TOKEN: ' ', LOG_LEVEL: '' })).toEqual({
      logLevel: 'info',
      rateLimitPerMinute: 12,
      shutdownTimeoutMs: 8_000,
      analytics: DEFAULT_ANALYTICS,
    });
  });

  it('takes the stop budget from SHUTDOWN_TIMEOUT_MS', () => {
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2500' }).shutdownTimeoutMs).toBe(2_500);
  });

  it('takes REDIS_URL with a key namespace, and refuses one the Redis client could not parse, never echoing it', () => {
    expect(loadConfig({ REDIS_URL: 'redis://:pw@127.0.0.1:6379/0' })).toMatchObject({
      redisUrl: 'redis://:pw@127.0.0.1:6379/0',
      redisKeyPrefix: 'article-qa:',
    });
    expect(
      loadConfig({ REDIS_URL: 'rediss://r.example:6380', REDIS_KEY_PREFIX: 'staging:' }).redisKeyPrefix,
    ).toBe('staging:');
    for (const bad of ['http://127.0.0.1:6379', 'redis://:pa ss@h', 'redis://:p%zz#w@h:99999']) {
      let message = '';
      try {
        loadConfig({ REDIS_URL: bad });
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message, bad).toMatch(/REDIS_URL/);
      expect(message).not.toContain(bad);
    }
  });

  it('configures Telegram polling, and webhook mode with a secret', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM }).telegram).toEqual({ token: TELEGRAM });
    expect(
      loadConfig({
        TELEGRAM_BOT_TOKEN: TELEGRAM,
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
        TELEGRAM_WEBHOOK_PORT: '8080',
        TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123',
        TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      }).telegram,
    ).toEqual({
      token: TELEGRAM,
      apiRoot: 'http://127.0.0.1:8081',
      webhook: { url: 'https://bot.example.org/telegram', port: 8080, secret: 'abc_DEF-123' },
    });
  });

  it('configures Discord only with both token and application id', () => {
    expect(
      loadConfig({ DISCORD_TOKEN: DISCORD, DISCORD_APPLICATION_ID: '123456789012345678' }).discord,
    ).toEqual({
      token: DISCORD,
      applicationId: '123456789012345678',
      syncCommands: false,
    });
    expect(configProblems({ DISCORD_TOKEN: DISCORD })).toMatch(
      /DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set/,
    );
  });

  it.each([
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, /TELEGRAM_BOT_TOKEN: does not look like a Telegram token/],
    [
      { DISCORD_TOKEN: 'nope', DISCORD_APPLICATION_ID: '1' },
      /DISCORD_TOKEN: does not look like a Discord bot token/,
    ],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be one of/],
    [
      { TELEGRAM_BOT_TOKEN: TELEGRAM, TELEGRAM_WEBHOOK_PORT: '70000' },
      /TELEGRAM_WEBHOOK_PORT: must be a port/,
    ],
    [
      { TELEGRAM_BOT_TOKEN: TELEGRAM, TELEGRAM_API_ROOT: 'ftp://x' },
      /TELEGRAM_API_ROOT: must start with http/,
    ],
    [
      { TELEGRAM_BOT_TOKEN: TELEGRAM, TELEGRAM_WEBHOOK_URL: 'http://bot.example.org/telegram' },
      /TELEGRAM_WEBHOOK_URL: must start with https:\/\/ \(Telegram delivers webhooks over HTTPS only/,
    ],
    [
      { TELEGRAM_BOT_TOKEN: TELEGRAM, TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:9000/telegram' },
      /TELEGRAM_WEBHOOK_URL: Telegram delivers webhooks only to ports 443, 80, 88 and 8443/,
    ],
    [
      { TELEGRAM_WEBHOOK_URL: 'https://x.example' },
      /TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not/,
    ],
    [{ RATE_LIMIT_PER_MINUTE: '0' }, /RATE_LIMIT_PER_MINUTE: must be a whole number/],
    [{ SHUTDOWN_TIMEOUT_MS: '8s' }, /SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds/],
    [{ SHUTDOWN_TIMEOUT_MS: '50' }, /SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds from 100/],
  ])('names the variable and the rule: %j', (env, message) => {
    expect(configProblems(env)).toMatch(message);
  });

  it('a local Bot API server (TELEGRAM_API_ROOT) may take an http:// webhook on any port; Telegram takes https on 8443', () => {
    const local = loadConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1:9000/telegram',
    });
    expect(local.telegram?.webhook?.url).toBe('http://127.0.0.1:9000/telegram');
    const hosted = loadConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org:8443/telegram',
    });
    expect(hosted.telegram?.webhook?.url).toBe('https://bot.example.org:8443/telegram');
  });

  it('never echoes a secret in its messages', () => {
    const secret = `${'x'.repeat(10)}.yyyy.${'z'.repeat(5)}`;
    expect(
      configProblems({ DISCORD_TOKEN: secret, DISCORD_APPLICATION_ID: '123456789012345678' }),
    ).not.toContain(secret);
  });
});
