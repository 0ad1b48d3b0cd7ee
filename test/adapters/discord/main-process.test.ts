import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatInput, DiscordFake } from '../../fakes/discord-fake.ts';
import { startMain as startMain_ } from '../../helpers/main-process.ts';

/**
 * `npm start` as a user runs it (src/main.ts through tsx), pointed at the local Discord fake with
 * DISCORD_API_ROOT: it logs in over the gateway the REST API names, answers a slash command, stops
 * cleanly on SIGTERM, and explains a rejected token in one line.
 */

// An obviously fake token of the right shape.
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC';
let fake: DiscordFake;

beforeAll(async () => {
  fake = await DiscordFake.start();
});
afterAll(async () => {
  await fake.close();
});

const startMain = () =>
  startMain_({
    DISCORD_TOKEN: TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_ROOT: fake.apiRoot,
    LOG_LEVEL: 'info',
  });

/** A token shaped like Discord's whose first part carries the fake's application id, as real ones do. */
const carryingToken = () =>
  `${Buffer.from(fake.applicationId).toString('base64url')}.GhIjKl.${'t'.repeat(38)}`;

describe('npm start with DISCORD_TOKEN', () => {
  it('answers a slash command from the fake, then exits 0 on SIGTERM', async () => {
    const main = startMain();
    try {
      await fake.waitForGateway('identify', 15_000);
      // READY is sent in answer to IDENTIFY; give the client a moment to process it.
      await fake.waitForRequest((r) => r.method === 'GET' && r.path.includes('/commands'), 10_000);
      const callback = await fake.interact(
        chatInput(fake, 'ask', { question: 'how many years in prison' }),
        10_000,
      );
      expect(callback.body).toMatchObject({
        type: 4,
        data: {
          allowed_mentions: { parse: [] },
          embeds: [expect.objectContaining({ description: expect.stringContaining('15 years in prison') })],
        },
      });
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.stderr()).not.toContain(TOKEN);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 30_000);

  it('without DISCORD_APPLICATION_ID reads the id from the token; in no server, it logs the invite URL', async () => {
    const token = carryingToken();
    const main = startMain_({ DISCORD_TOKEN: token, DISCORD_API_ROOT: fake.apiRoot, LOG_LEVEL: 'info' });
    try {
      const checked = await fake.waitForRequest(
        (r) =>
          r.method === 'GET' &&
          r.path === `/applications/${fake.applicationId}/commands` &&
          r.headers.authorization === `Bot ${token}`,
        15_000,
      );
      expect(checked.path).toBe(`/applications/${fake.applicationId}/commands`);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      const invite = main
        .stderr()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; inviteUrl?: string })
        .find((line) => line.msg?.startsWith('discord: the bot is in no server yet'));
      expect(invite?.inviteUrl).toBe(
        `https://discord.com/oauth2/authorize?client_id=${fake.applicationId}&scope=bot+applications.commands&permissions=274877991936`,
      );
      expect(main.stderr()).not.toContain(token);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 30_000);

  it('a token Discord rejects gives a clear message and exit code 1, no stack trace', async () => {
    fake.rejectToken = true;
    try {
      const main = startMain();
      expect(await main.exited).toBe(1);
      expect(main.stderr()).toMatch(/token/i);
      expect(main.stderr()).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
      expect(main.stderr()).not.toContain(TOKEN);
    } finally {
      fake.rejectToken = false;
    }
  }, 30_000);
});
