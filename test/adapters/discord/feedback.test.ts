import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { type Analytics, openAnalytics } from '../../../src/analytics/index.ts';
import { ConversationLayer } from '../../../src/conversation/layer.ts';
import { LAYER_TEXTS } from '../../../src/conversation/texts.ts';
import { memoryLogger as analyticsLogger, SECRET } from '../../analytics/helpers.ts';
import { buttonPress, chatInput, fakeGuild, fakeUser, message } from '../../fakes/discord-fake.ts';
import { bodyOf, type Harness, quiet, realService, startHarness } from './harness.ts';

/**
 * 👍 / 👎 under answers on Discord, over the wire: the real discord.js against the fake, the
 * conversation layer recording into a real SQLite file that the tests read back.
 */

const EPHEMERAL = 64;

describe('Discord feedback buttons', () => {
  let h: Harness;
  let analytics: Analytics;
  let dir: string;
  const guild = fakeGuild();
  const alice = fakeUser('alice');
  const bob = fakeUser('bob');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'discord-feedback-'));
    analytics = await openAnalytics(
      {
        questionLog: true,
        database: { kind: 'sqlite', path: join(dir, 'db', 'analytics.sqlite') },
        secret: SECRET,
        retentionDays: 90,
      },
      { logger: analyticsLogger().logger, retention: false },
    );
    const layer = new ConversationLayer(realService(), commands, { analytics });
    h = await startHarness({ layer });
    h.fake.addGuild(guild);
  });
  afterAll(async () => {
    await h?.close();
    await analytics?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function eventFor(question: string) {
    await analytics.flush();
    const event = (await analytics.store?.events())?.find((e) => e.question === question);
    if (!event) throw new Error(`not recorded: ${question}`);
    return event;
  }

  test('/ask: the answer has a 👍 / 👎 row after its suggestions, carrying the recorded event id', async () => {
    const callback = await h.fake.interact(
      chatInput(h.fake, 'ask', { question: 'who is kirby' }, { guild, user: alice }),
    );
    const event = await eventFor('who is kirby');
    expect(event).toMatchObject({
      platform: 'discord',
      kind: 'answer',
      user: analytics.keys.user('discord', alice.id),
    });
    const rows = bodyOf(callback).data.components ?? [];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.at(-1)?.components.map((b) => [b.label, b.custom_id])).toEqual([
      ['👍', `f:${event.id}:u`],
      ['👎', `f:${event.id}:d`],
    ]);
    // The suggestions stay as they were, on the row before.
    expect(rows[0]?.components.every((b) => b.custom_id.startsWith('e:'))).toBe(true);
    for (const row of rows)
      for (const b of row.components) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });

  test('a mention in a channel gets the row too; /topics does not', async () => {
    const sent = message(`<@${h.fake.botUser.id}> who is zelensky`, {
      guild,
      author: alice,
      mentions: [h.fake.botUser],
    });
    const reply = h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${sent.channel_id}/messages`,
    );
    h.fake.dispatch('MESSAGE_CREATE', sent);
    const body = bodyOf(await reply);
    const event = await eventFor('who is zelensky');
    expect(body.components?.at(-1)?.components.map((b) => b.custom_id)).toEqual([
      `f:${event.id}:u`,
      `f:${event.id}:d`,
    ]);

    const topics = await h.fake.interact(chatInput(h.fake, 'topics', {}, { guild }));
    const ids = (bodyOf(topics).data.components ?? []).flatMap((row) =>
      row.components.map((b) => b.custom_id),
    );
    expect(ids.some((id) => id.startsWith('f:'))).toBe(false);
  });

  test('a press is a vote (a second press changes it), acknowledged by an ephemeral note; nothing posted', async () => {
    const event = await eventFor('who is kirby');
    const before = h.fake.requests.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/channels/'),
    ).length;
    const up = await h.fake.interact(buttonPress(h.fake, `f:${event.id}:u`, { guild, user: bob }));
    expect(bodyOf(up)).toMatchObject({
      type: 4,
      data: { content: LAYER_TEXTS.feedbackThanks(1), flags: EPHEMERAL },
    });
    await analytics.flush();
    const bobKey = analytics.keys.user('discord', bob.id);
    expect((await analytics.store?.votes())?.filter((v) => v.user === bobKey)).toEqual([
      expect.objectContaining({ eventId: event.id, vote: 1 }),
    ]);
    const down = await h.fake.interact(buttonPress(h.fake, `f:${event.id}:d`, { guild, user: bob }));
    expect(bodyOf(down).data).toMatchObject({ content: LAYER_TEXTS.feedbackThanks(-1), flags: EPHEMERAL });
    await analytics.flush();
    expect((await analytics.store?.votes())?.filter((v) => v.user === bobKey).map((v) => v.vote)).toEqual([
      -1,
    ]);
    await quiet(h, 100);
    // No channel message: the acknowledgement is the interaction's own ephemeral response.
    expect(h.fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/channels/')).length).toBe(
      before,
    );
  });

  test('/forget is private and says how many; then a failing database (directory removed) never stops an answer', async () => {
    const forgot = await h.fake.interact(chatInput(h.fake, 'forget', {}, { guild, user: alice }));
    expect(bodyOf(forgot).data.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(bodyOf(forgot).data)).toContain(LAYER_TEXTS.forgotten(2).slice(0, 20));
    await analytics.flush();
    expect(
      (await analytics.store?.events())?.filter((e) => e.user === analytics.keys.user('discord', alice.id)),
    ).toEqual([]);

    await rm(join(dir, 'db'), { recursive: true, force: true });
    const answer = await h.fake.interact(
      chatInput(h.fake, 'ask', { question: 'who is kirby' }, { guild, user: alice }),
    );
    expect(bodyOf(answer).type).toBe(4);
    expect(JSON.stringify(bodyOf(answer).data.embeds)).toContain('Kirby');
    await analytics.flush();
    expect(analytics.stats().queued).toBeGreaterThan(0);
  });
});
