import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../src/adapters/platform-error.ts';

/** Shaped like real credentials (not real ones): a Telegram bot token and a Discord bot token. */
const TELEGRAM_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawX';
const DISCORD_TOKEN = 'MTE5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('PlatformError, the one error type of every adapter', () => {
  it('carries the platform, the method, the answer and the cause; describe() gives them as log fields', () => {
    const cause = new Error('Bad Request: chat not found');
    const error = new PlatformError({ platform: 'telegram', method: 'sendMessage', status: 400, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Bad Request: chat not found');
    expect(error.describe()).toEqual({
      platform: 'telegram',
      method: 'sendMessage',
      message: 'Bad Request: chat not found',
      status: 400,
      causedBy: { name: 'Error', message: 'Bad Request: chat not found' },
    });
  });

  it('never shows a token: not in its message, its method, nor its cause, stack and nested cause', () => {
    const network = Object.assign(new Error(`connect ECONNREFUSED for Bot ${DISCORD_TOKEN}`), {
      code: 'ECONNREFUSED',
    });
    const cause = new Error(`request to https://api.telegram.org/bot${TELEGRAM_TOKEN}/getMe failed`, {
      cause: network,
    });
    cause.stack = `Error: at /bot${TELEGRAM_TOKEN}/getMe\n    at fetch (node:internal)`;
    const error = new PlatformError({ platform: 'telegram', method: `bot${TELEGRAM_TOKEN}/getMe`, cause });
    const rendered = [error.message, JSON.stringify(error.describe()), String(error)].join('\n');
    for (const secret of [TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(':')[1] ?? '', DISCORD_TOKEN]) {
      expect(rendered).not.toContain(secret);
    }
    // What is left still says what failed.
    expect(error.describe()).toMatchObject({
      causedBy: { causedBy: { code: 'ECONNREFUSED', message: expect.stringContaining('ECONNREFUSED') } },
      stack: expect.stringContaining('/bot[redacted]/getMe'),
    });
  });

  it("applies the platform's own redaction too (credentials scrubSecrets cannot recognise)", () => {
    const cause = new Error('Unknown interaction on POST /interactions/1/secret-interaction-token/callback');
    const error = new PlatformError({
      platform: 'discord',
      method: 'POST /interactions/1/secret-interaction-token/callback',
      cause,
      redact: (text) => text.replaceAll('secret-interaction-token', '[token]'),
    });
    expect(JSON.stringify(error.describe())).not.toContain('secret-interaction-token');
    expect(error.method).toBe('POST /interactions/1/[token]/callback');
  });

  it('explained() keeps the failure (platform, method, answer, cause) and tells it with a hint', () => {
    const cause = new Error(`401: Unauthorized for bot${TELEGRAM_TOKEN}`);
    const failure = new PlatformError({ platform: 'discord', method: 'login', status: 401, cause });
    const explained = failure.explained(
      'Discord rejected DISCORD_TOKEN (401 Unauthorized).',
      'reset the token',
    );
    expect(explained.message).toBe(
      'Discord rejected DISCORD_TOKEN (401 Unauthorized).\n  hint: reset the token',
    );
    expect(explained).toMatchObject({
      platform: 'discord',
      method: 'login',
      status: 401,
      hint: 'reset the token',
    });
    expect(explained.reason).toBe('Discord rejected DISCORD_TOKEN (401 Unauthorized).');
    expect(explained.cause).toBe(cause);
    expect(JSON.stringify(explained.describe())).not.toContain(TELEGRAM_TOKEN);
  });
});
