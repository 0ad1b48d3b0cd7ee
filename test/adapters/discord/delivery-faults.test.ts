import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { DISCORD_TEXTS as T } from '../../../src/adapters/discord/texts.ts';
import {
  chatInput,
  type Delivery,
  type FakeInteraction,
  type FakeMessage,
  fakeGuild,
  message,
} from '../../fakes/discord-fake.ts';
import { failingCommand } from '../../helpers/commands.ts';
import {
  bodyOf,
  collectUnhandledRejections,
  type Harness,
  type HarnessOptions,
  quiet,
  startHarness,
} from './harness.ts';

/**
 * Faults injected at the fake Discord API, asserting what users end up seeing: exactly one
 * answer per question once the fault clears, at most one apology, and no apology when the answer
 * may already have been delivered.
 */

const MESSAGES = /^\/channels\/\d+\/messages$/;
const CALLBACK = /\/callback$/;
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/%40original$/;
const EPHEMERAL = 64;

const repliesTo = (h: Harness, sent: FakeMessage) =>
  h.fake.delivered.filter((d) => d.kind === 'message' && d.replyTo === sent.id);
const isApology = (d: Delivery) => (d.body as { content?: string } | undefined)?.content === T.failure;
const answersTo = (h: Harness, interaction: FakeInteraction) =>
  h.fake.delivered.filter((d) => d.replyTo === interaction.id);

/**
 * The messages a user sees for an interaction: its response as last set (the callback, then any
 * edit of @original, which replaces it in place) and each follow-up.
 */
function shownFor(h: Harness, interaction: FakeInteraction): Delivery[] {
  const deliveries = answersTo(h, interaction);
  const original = deliveries.filter((d) => d.kind === 'callback' || d.kind === 'edit').at(-1);
  return [...(original ? [original] : []), ...deliveries.filter((d) => d.kind === 'followup')];
}

let unhandled: ReturnType<typeof collectUnhandledRejections>;
beforeAll(() => {
  unhandled = collectUnhandledRejections();
});
afterEach(() => {
  expect(unhandled.reasons.splice(0)).toEqual([]);
});
afterAll(() => unhandled.stop());

/** Short retries inside a budget the tests can wait out. */
const RETRYING: HarnessOptions = { retryFirstDelayMs: 50, retryMaxDelayMs: 200, sendRetryBudgetMs: 3_000 };

/** One harness for a describe block: started before its tests, faults cleared after each, closed after all. */
function shareHarness(options: HarnessOptions, started: (h: Harness) => void): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
    started(h);
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => h?.fake.clearFaults());
}

describe('message replies (POST /channels/{id}/messages)', () => {
  let h: Harness;
  shareHarness(RETRYING, (started) => {
    h = started;
  });

  test('a 502 after Discord created the reply → one answer, no apology', async () => {
    h.fake.failNext('POST', MESSAGES, { status: 502, body: { message: 'Bad Gateway' } }, 1, {
      afterProcessing: true,
    });
    const sent = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    await quiet(h);
    const seen = repliesTo(h, sent);
    expect(seen).toHaveLength(1);
    expect(seen.filter(isApology)).toHaveLength(0);
    expect(bodyOf(seen[0] ?? { body: {} }).embeds).toHaveLength(1);
  });

  test('persistent 500s after processing, then recovery → exactly one answer and no apology', async () => {
    // Every attempt is processed but answered 500 for 800 ms: four tries by discord.js, then ours.
    h.fake.failFor('POST', MESSAGES, { status: 500, body: { message: 'Internal Server Error' } }, 800, {
      afterProcessing: true,
    });
    const sent = message('Does Putin want to end the war?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    await quiet(h, 500);
    const seen = repliesTo(h, sent);
    expect(seen).toHaveLength(1);
    expect(seen.filter(isApology)).toHaveLength(0);
    const attempts = h.fake.requests.filter((r) => bodyOf(r)?.message_reference?.message_id === sent.id);
    const nonces = new Set(attempts.map((r) => (r.body as { nonce?: string }).nonce));
    expect(nonces).toEqual(new Set([sent.id]));
    expect(attempts.every((r) => (r.body as { enforce_nonce?: boolean }).enforce_nonce === true)).toBe(true);
    expect(h.logs.some((l) => l.msg === 'discord: send failed; retrying' && l.messageId === sent.id)).toBe(
      true,
    );
  });

  test('a connection reset after processing → one answer, no apology', async () => {
    h.fake.failNext('POST', MESSAGES, 'reset', 2, { afterProcessing: true });
    const sent = message('How many years in prison?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    await quiet(h, 500);
    const seen = repliesTo(h, sent);
    expect(seen).toHaveLength(1);
    expect(seen.filter(isApology)).toHaveLength(0);
  });

  test('an outage longer than the retry budget → nothing sent twice, no apology, the give-up is logged', async () => {
    h.fake.failFor('POST', MESSAGES, { status: 503, body: { message: 'Service Unavailable' } }, 4_000);
    const sent = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    const given = await waitForLog(h, 'discord: reply given up', 6_000);
    expect(given).toMatchObject({ messageId: sent.id, reason: 'ambiguous', err: { status: 503 } });
    h.fake.clearFaults();
    await quiet(h);
    expect(repliesTo(h, sent)).toHaveLength(0);
    // The next question, after the outage, is answered normally.
    const next = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', next);
    await quiet(h);
    expect(repliesTo(h, next)).toHaveLength(1);
  });

  test('a reply Discord refuses outright (400) → one apology, sent once', async () => {
    h.fake.failNext('POST', MESSAGES, { status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const sent = message('Who is Kirby?');
    h.fake.dispatch('MESSAGE_CREATE', sent);
    await quiet(h);
    const seen = repliesTo(h, sent);
    expect(seen).toHaveLength(1);
    expect(seen.filter(isApology)).toHaveLength(1);
  });
});

describe('interaction responses', () => {
  let h: Harness;
  shareHarness(RETRYING, (started) => {
    h = started;
  });

  test('a 502 on the callback after Discord acknowledged it → the answer stands; no apology is attempted', async () => {
    h.fake.failNext('POST', CALLBACK, { status: 502, body: { message: 'Bad Gateway' } }, 1, {
      afterProcessing: true,
    });
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' });
    h.fake.dispatch('INTERACTION_CREATE', interaction);
    await quiet(h);
    const seen = answersTo(h, interaction);
    expect(seen.map((d) => d.kind)).toEqual(['callback']);
    const apologies = h.fake.requests.filter(
      (r) => r.path.includes(interaction.token) && JSON.stringify(r.body).includes(T.failure),
    );
    expect(apologies).toHaveLength(0);
    expect(h.logs.some((l) => l.msg === 'discord: interaction failed')).toBe(false);
  });

  test('500s on the callback for 800 ms (not processed) → the answer still arrives within the 3-second window', async () => {
    h.fake.failFor('POST', CALLBACK, { status: 500, body: { message: 'Internal Server Error' } }, 800);
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' });
    h.fake.dispatch('INTERACTION_CREATE', interaction);
    await quiet(h, 500);
    const seen = answersTo(h, interaction);
    expect(seen).toHaveLength(1);
    expect(bodyOf(seen[0] ?? { body: {} }).embeds).toHaveLength(1);
  });

  test('a connection reset after the callback was processed → one answer, no apology', async () => {
    h.fake.failNext('POST', CALLBACK, 'reset', 1, { afterProcessing: true });
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' });
    h.fake.dispatch('INTERACTION_CREATE', interaction);
    await quiet(h);
    expect(answersTo(h, interaction).map((d) => d.kind)).toEqual(['callback']);
    const apologies = h.fake.requests.filter(
      (r) => r.path.includes(interaction.token) && JSON.stringify(r.body).includes(T.failure),
    );
    expect(apologies).toHaveLength(0);
  });
});

describe('deferred interactions', () => {
  let h: Harness;
  shareHarness({ ...RETRYING, deferAfterMs: 0, commands: [...commands, failingCommand] }, (started) => {
    h = started;
  });

  test('500s on the edit after it was applied, then recovery → the answer stays, no follow-up apology', async () => {
    h.fake.failFor('PATCH', ORIGINAL, { status: 500, body: { message: 'Internal Server Error' } }, 800, {
      afterProcessing: true,
    });
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?' }, { guild: fakeGuild() });
    h.fake.dispatch('INTERACTION_CREATE', interaction);
    await quiet(h, 500);
    const seen = shownFor(h, interaction);
    expect(seen.map((d) => d.kind)).toEqual(['edit']);
    expect(bodyOf(seen[0] ?? { body: {} }).embeds).toHaveLength(1);
    expect(
      h.fake.requests.filter((r) => r.method === 'DELETE' && r.path.includes(interaction.token)),
    ).toEqual([]);
  });

  test('a failure after deferring → exactly one apology, even when its response is lost (502 after processing)', async () => {
    h.fake.failNext('PATCH', ORIGINAL, { status: 502, body: { message: 'Bad Gateway' } }, 1, {
      afterProcessing: true,
    });
    h.fake.failNext(
      'POST',
      /^\/webhooks\/\d+\/[^/]+$/,
      { status: 502, body: { message: 'Bad Gateway' } },
      1,
      {
        afterProcessing: true,
      },
    );
    const interaction = chatInput(h.fake, 'boom', {}, { guild: fakeGuild() });
    h.fake.dispatch('INTERACTION_CREATE', interaction);
    await quiet(h);
    const apologies = shownFor(h, interaction).filter(isApology);
    expect(apologies).toHaveLength(1);
    expect(bodyOf(apologies[0] ?? { body: {} }).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  test('a private deferral stays private: the callback is ephemeral (type 5, flags 64)', async () => {
    const interaction = chatInput(h.fake, 'ask', { question: 'Who is Kirby?', private: true });
    const callback = await h.fake.interact(interaction);
    expect(bodyOf(callback)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await quiet(h);
    expect(answersTo(h, interaction).map((d) => d.kind)).toEqual(['edit']);
    // The edit is the answer, not an apology for an edit Discord refused (it cannot set flags).
    expect(shownFor(h, interaction).filter(isApology)).toHaveLength(0);
  });
});

describe('stopping during an outage', () => {
  test('stop() is not held by retries: it returns within its budget and logs the reply as given up (stopped)', async () => {
    const h = await startHarness({ stopTimeoutMs: 300, retryFirstDelayMs: 100, sendRetryBudgetMs: 30_000 });
    try {
      h.fake.failFor('POST', MESSAGES, { status: 503, body: { message: 'Service Unavailable' } }, 30_000);
      const sent = message('Who is Kirby?');
      h.fake.dispatch('MESSAGE_CREATE', sent);
      await waitForLog(h, 'discord: send failed; retrying', 2_000);
      const started = performance.now();
      await h.platform.stop('SIGTERM');
      expect(performance.now() - started).toBeLessThan(1_000);
      const given = await waitForLog(h, 'discord: reply given up', 1_000);
      expect(given).toMatchObject({ messageId: sent.id, reason: 'stopped' });
      expect(h.logs.some((l) => l.msg === 'discord: stopping with replies still in flight')).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe("stopping within main's budget", () => {
  test('stop(reason, budget) returns within the budget, not its own longer wait, and reports what it abandoned', async () => {
    const h = await startHarness({
      stopTimeoutMs: 30_000,
      retryFirstDelayMs: 100,
      sendRetryBudgetMs: 30_000,
    });
    try {
      h.fake.failFor('POST', MESSAGES, { status: 503, body: { message: 'Service Unavailable' } }, 30_000);
      h.fake.dispatch('MESSAGE_CREATE', message('Who is Kirby?'));
      await waitForLog(h, 'discord: send failed; retrying', 2_000);
      expect(h.platform.inFlight?.()).toBe(1);
      const started = performance.now();
      await h.platform.stop('SIGTERM', 400);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(h.platform.abandoned?.()).toBe(1);
    } finally {
      await h.close();
    }
  });
});

async function waitForLog(h: Harness, msg: string, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    const line = h.logs.find((l) => l.msg === msg);
    if (line) return line;
    if (performance.now() - started > timeoutMs) throw new Error(`no "${msg}" log within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
