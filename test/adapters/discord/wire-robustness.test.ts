import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { startDiscord } from '../../../src/adapters/discord/index.ts';
import { PlatformError } from '../../../src/adapters/platform-error.ts';
import {
  chatInput,
  DiscordFake,
  type FakeInteraction,
  message,
  type RecordedRequest,
} from '../../fakes/discord-fake.ts';
import { bodyOf, FAKE_TOKEN, type Harness, memoryLogger, realService, startHarness } from './harness.ts';

const callbackPath = (i: FakeInteraction) => `/interactions/${i.id}/${i.token}/callback`;

/** Resolves with the `n`-th request matching, counting the ones already recorded. */
function nth(h: Harness, n: number, match: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
  let seen = 0;
  return h.fake.waitForRequest((r) => match(r) && ++seen === n);
}

describe('REST failures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a 429 on the interaction callback is waited out (retry_after) and retried', async () => {
    h.fake.failNext('POST', /\/callback$/, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
    });
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' });
    const first = await h.fake.interact(interaction);
    const second = await nth(h, 2, (r) => r.path === callbackPath(interaction));
    expect(second.at - first.at).toBeGreaterThanOrEqual(190);
    expect(second.body).toEqual(first.body);
    expect(bodyOf(second).data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const logged = h.logs.find((l) => l.msg.startsWith('discord: rate limited'));
    // discord.js adds a 50 ms safety offset to retry_after; the route template hides the token.
    expect(logged).toMatchObject({ method: 'POST', route: '/interactions/:id/:token/callback' });
    expect(logged?.retryAfterMs).toBeGreaterThanOrEqual(200);
    expect(JSON.stringify(logged)).not.toContain(interaction.token);
  });

  test('a refused interaction response is logged as a PlatformError naming the call, without the interaction token', async () => {
    h.fake.failNext('POST', /\/callback$/, {
      status: 400,
      body: { message: 'Invalid Form Body', code: 50035 },
    });
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' });
    await h.fake.interact(interaction);
    // The refusal left nothing on screen, so the apology follows as the first response.
    const apology = await nth(h, 2, (r) => r.path === callbackPath(interaction));
    expect(bodyOf(apology).data.flags).toBe(64);
    const logged = h.logs.find((l) => l.msg === 'discord: interaction failed');
    expect(logged?.err).toMatchObject({
      platform: 'discord',
      method: `POST /api/v10/interactions/${interaction.id}/[token]/callback`,
      status: 400,
      code: 50035,
    });
    expect(JSON.stringify(h.logs)).not.toContain(interaction.token);
  });

  test('a 429 on a message reply (per-route bucket) is waited out and retried', async () => {
    h.fake.failNext('POST', /^\/channels\/\d+\/messages$/, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.1, global: false },
      headers: { 'retry-after': '0.1', 'x-ratelimit-scope': 'shared' },
    });
    const sent = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    const replies = (r: RecordedRequest) => r.path === `/channels/${sent.channel_id}/messages`;
    const retried = await nth(h, 2, replies);
    expect(bodyOf(retried).message_reference?.message_id).toBe(sent.id);
    expect(bodyOf(retried).embeds).toHaveLength(1);
  });

  test('a 500 on the callback is retried and the answer still arrives', async () => {
    h.fake.failNext('POST', /\/callback$/, {
      status: 500,
      body: { message: 'Internal Server Error', code: 0 },
    });
    const interaction = chatInput(h.fake, 'help');
    const first = await h.fake.interact(interaction);
    const second = await nth(h, 2, (r) => r.path === callbackPath(interaction));
    expect(second.body).toEqual(first.body);
    expect(bodyOf(second).type).toBe(4);
  });

  test('persistent 500s on a reply: after discord.js gives up, the bot retries with the same nonce and the answer arrives, without an apology', async () => {
    // discord.js tries once and retries three times at once; the bot then waits and tries again.
    h.fake.failNext(
      'POST',
      /^\/channels\/\d+\/messages$/,
      { status: 500, body: { message: 'Internal Server Error' } },
      4,
    );
    const sent = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    const first = await nth(h, 1, (r) => r.path === `/channels/${sent.channel_id}/messages`);
    const fifth = await nth(h, 5, (r) => r.path === `/channels/${sent.channel_id}/messages`);
    expect(bodyOf(fifth).embeds).toHaveLength(1);
    expect(fifth.body).toEqual(first.body);
    expect(fifth.body).toMatchObject({ nonce: sent.id, enforce_nonce: true });
    expect(h.logs.find((l) => l.msg === 'discord: send failed; retrying')).toMatchObject({
      messageId: sent.id,
      err: { status: 500 },
    });
    const next = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
    expect(bodyOf(next).type).toBe(4);
    expect(h.fake.delivered.filter((d) => d.replyTo === sent.id)).toHaveLength(1);
  });
});

describe('gateway interruptions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const stillAnswers = async () => {
    const callback = await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }));
    expect(bodyOf(callback).type).toBe(4);
  };

  test('the gateway closing the socket with 4000 → the client resumes the session and keeps answering', async () => {
    const resumed = h.fake.waitForGateway('resume');
    await h.fake.closeGateway(4000);
    await resumed;
    expect(h.fake.gatewayStats.identify).toBe(1);
    await stillAnswers();
    expect(h.logs.some((l) => l.msg === 'discord: gateway session resumed')).toBe(true);
  });

  test('a dropped connection (no close frame) → resume', async () => {
    const resumed = h.fake.waitForGateway('resume');
    h.fake.dropGateway();
    await resumed;
    await stillAnswers();
  });

  test('a token revoked while running (close 4004) settles `crashed` with a clear reason', async () => {
    const own = await startHarness();
    try {
      await own.fake.closeGateway(4004);
      const error = await own.platform.crashed;
      expect(error?.message).toBe('Discord closed the gateway (4004): DISCORD_TOKEN was reset or revoked');
      expect(own.logs.some((l) => l.msg === 'discord: gateway closed and will not reconnect')).toBe(true);
    } finally {
      await own.close();
    }
  });

  test('a normal close (1000) → a fresh IDENTIFY, and answers continue', async () => {
    const identified = h.fake.waitForGateway('identify');
    await h.fake.closeGateway(1000);
    await identified;
    expect(h.fake.gatewayStats.identify).toBe(2);
    await stillAnswers();
  });
});

describe('start-up failures and shutdown', () => {
  test('a rejected token (REST 401) gives a clear PlatformError naming DISCORD_TOKEN, not a stack trace', async () => {
    const fake = await DiscordFake.start();
    fake.rejectToken = true;
    const { logger } = memoryLogger();
    try {
      const start = startDiscord(
        { token: FAKE_TOKEN, applicationId: fake.applicationId, apiRoot: fake.apiRoot, syncCommands: false },
        { service: realService(), commands, logger, rateLimitPerMinute: 10 },
      );
      await expect(start).rejects.toBeInstanceOf(PlatformError);
      await expect(start).rejects.toMatchObject({ platform: 'discord', method: 'login' });
      await expect(start).rejects.toThrow(
        /^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)\.\n {2}hint: .*Reset Token/,
      );
      expect(fake.gatewayStats.connections).toBe(0);
    } finally {
      await fake.close();
    }
  });

  test('a token refused by the gateway (close 4004) is explained the same way', async () => {
    const fake = await DiscordFake.start();
    fake.rejectIdentify = true;
    const { logger } = memoryLogger();
    try {
      const start = startDiscord(
        { token: FAKE_TOKEN, applicationId: fake.applicationId, apiRoot: fake.apiRoot, syncCommands: false },
        { service: realService(), commands, logger, rateLimitPerMinute: 10 },
      );
      await expect(start).rejects.toThrow(/^Discord rejected DISCORD_TOKEN/);
    } finally {
      await fake.close();
    }
  });

  test('an unreachable API gives a clear message naming the address', async () => {
    const fake = await DiscordFake.start();
    const apiRoot = fake.apiRoot;
    await fake.close();
    const { logger } = memoryLogger();
    const start = startDiscord(
      { token: FAKE_TOKEN, applicationId: '123456789012345678', apiRoot, syncCommands: false },
      { service: realService(), commands, logger, rateLimitPerMinute: 10 },
    );
    await expect(start).rejects.toThrow(`Cannot reach the Discord API at ${apiRoot} (ECONNREFUSED).`);
  });

  test('stop() lets an in-flight reply finish, then closes the gateway; it is idempotent', async () => {
    const h = await startHarness();
    try {
      h.fake.failNext('POST', /\/callback$/, {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: 0.3, global: false },
        headers: { 'retry-after': '0.3' },
      });
      const interaction = chatInput(h.fake, 'help');
      await h.fake.interact(interaction);
      const stopping = h.platform.stop('SIGTERM');
      expect(h.platform.stop('again')).toBe(stopping);
      await stopping;
      expect(h.fake.requests.filter((r) => r.path === callbackPath(interaction))).toHaveLength(2);
      expect(h.logs.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['discord: stopping', 'discord: stopped']),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(h.fake.connected).toBe(false);
    } finally {
      await h.close();
    }
  });
});
