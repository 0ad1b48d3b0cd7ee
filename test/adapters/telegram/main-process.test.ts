import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../fakes/redis-server.ts';
import { FakeBotApi, textMessage } from '../../fakes/telegram-bot-api.ts';
import { startMain as startMainProcess } from '../../helpers/main-process.ts';

/**
 * `npm start` as a user runs it (src/main.ts through tsx), pointed at the Bot API fake with
 * TELEGRAM_API_ROOT: it serves updates, stops cleanly on SIGTERM, and explains a rejected token.
 */

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await FakeBotApi.start();
});
afterAll(async () => {
  await fake.close();
});

const startMain = (token: string) =>
  startMainProcess({ TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: fake.url, LOG_LEVEL: 'info' });

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it("answers the fake's updates, then exits 0 on SIGTERM", async () => {
    const main = startMain(fake.token);
    try {
      fake.push(textMessage('how many years in prison'));
      const reply = await fake.waitFor('sendMessage', () => true, 15_000);
      expect(reply.body).toMatchObject({
        parse_mode: 'HTML',
        text: expect.stringContaining('15 years in prison'),
      });
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.stderr()).not.toContain(fake.token);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 20_000);

  it('a token Telegram rejects gives one clear line and exit code 1, no stack trace', async () => {
    const main = startMain('123456789:AAWrongTokenWrongTokenWrongToken_0123');
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toContain('Telegram rejected the bot token (401 Unauthorized)');
    expect(main.stderr()).not.toMatch(/\n\s+at /);
  }, 20_000);

  it('a token of the wrong shape is refused before any call to Telegram', async () => {
    const calls = fake.calls.length;
    const main = startMain('not-a-token');
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toContain('TELEGRAM_BOT_TOKEN: does not look like a Telegram token');
    expect(fake.calls.length).toBe(calls);
  }, 20_000);
});

describe('npm start with REDIS_URL', () => {
  it('keeps conversation context in Redis: a restarted process answers the follow-up in context', async () => {
    const redis = await startRedisServer();
    const env = {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      REDIS_URL: redis.url,
    };
    const reader = { id: 7_301, is_bot: false, first_name: 'Gil' };
    const toReader = () => fake.callsTo('sendMessage').filter((c) => c.body.chat_id === reader.id);
    try {
      const first = startMainProcess(env);
      try {
        fake.push(textMessage('who is zelensky', { from: reader }));
        await fake.waitFor('sendMessage', (body) => body.chat_id === reader.id, 15_000);
        first.child.kill('SIGTERM');
        expect(await first.exited).toBe(0);
      } finally {
        first.child.kill('SIGKILL');
      }
      // A new process: whatever it knows of the conversation came from Redis.
      const second = startMainProcess(env);
      try {
        fake.push(textMessage('what did he do', { from: reader }));
        await fake.waitFor(
          'sendMessage',
          (body) => body.chat_id === reader.id && toReader().length === 2,
          15_000,
        );
        expect(String(toReader()[1]?.body.text)).toMatch(/visit to the US/);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      } finally {
        second.child.kill('SIGKILL');
      }
    } finally {
      await redis.close();
    }
  }, 40_000);

  it('a Redis that does not answer stops start-up with one line naming REDIS_URL, never its password', async () => {
    const main = startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://:Sup3rSecretPw@127.0.0.1:1/0',
    });
    expect(await main.exited).toBe(1);
    expect(main.stderr()).toContain('REDIS_URL');
    expect(main.stderr()).not.toContain('Sup3rSecretPw');
    expect(main.stderr()).not.toMatch(/\n\s+at /);
  }, 20_000);
});

describe('npm start with a question log', () => {
  it('records what it answers, with the feedback row, and has it on disk once SIGTERM has stopped it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-log-'));
    const path = join(dir, 'var', 'analytics.sqlite');
    const reader = { id: 7_411, is_bot: false, first_name: 'Ida' };
    const main = startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      DATABASE_PATH: path,
    });
    try {
      fake.push(textMessage('who is kirby', { from: reader }));
      const reply = await fake.waitFor('sendMessage', (body) => body.chat_id === reader.id, 15_000);
      const rows = (reply.body.reply_markup as { inline_keyboard: { callback_data: string }[][] })
        .inline_keyboard;
      const feedback = rows.at(-1)?.map((b) => b.callback_data) ?? [];
      expect(feedback).toEqual([expect.stringMatching(/^f:.{20}:u$/), expect.stringMatching(/^f:.{20}:d$/)]);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const db = new Database(path, { readonly: true });
      try {
        expect(db.prepare('SELECT id, platform, question FROM events').all()).toEqual([
          { id: feedback[0]?.slice(2, 22), platform: 'telegram', question: 'who is kirby' },
        ]);
      } finally {
        db.close();
      }
    } finally {
      main.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a database that cannot be opened is logged, and the bot answers without it (no feedback row)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-log-'));
    // A regular file where the database's directory should be: it can never be created.
    writeFileSync(join(dir, 'not-a-directory'), '');
    const reader = { id: 7_412, is_bot: false, first_name: 'Jo' };
    const main = startMainProcess({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      DATABASE_PATH: join(dir, 'not-a-directory', 'analytics.sqlite'),
    });
    try {
      fake.push(textMessage('who is kirby', { from: reader }));
      const reply = await fake.waitFor('sendMessage', (body) => body.chat_id === reader.id, 15_000);
      expect(String(reply.body.text)).toContain('Kirby');
      const rows = (reply.body.reply_markup as { inline_keyboard: { callback_data: string }[][] })
        .inline_keyboard;
      expect(rows.flat().some((b) => b.callback_data.startsWith('f:'))).toBe(false);
      expect(main.stderr()).toContain('question log unavailable: running without recording questions');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      main.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
