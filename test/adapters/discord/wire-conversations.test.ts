import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { chatInput, type FakeMessage, fakeGuild, fakeUser, message } from '../../fakes/discord-fake.ts';
import { bodyOf, type Harness, startHarness } from './harness.ts';

/** The reply a message gets (its embeds as text) and the id Discord gave that reply. */
async function ask(h: Harness, sent: FakeMessage): Promise<{ text: string; id: string }> {
  const request = h.fake.waitForRequest(
    (r) => r.method === 'POST' && bodyOf(r).message_reference?.message_id === sent.id,
  );
  h.fake.dispatch('MESSAGE_CREATE', sent);
  const body = bodyOf(await request);
  const created = await vi.waitFor(() => {
    const found = h.fake.created.find(
      (m) => (m.message_reference as { message_id?: string } | undefined)?.message_id === sent.id,
    );
    if (!found) throw new Error('reply not created yet');
    return found;
  });
  return { text: JSON.stringify(body.embeds ?? body.content), id: String(created.id) };
}

describe('conversations over the wire (Discord)', () => {
  let h: Harness;
  const guild = fakeGuild();
  const mention = (h: Harness, text: string, author = fakeUser('reader')) =>
    message(`<@${h.fake.botUser.id}> ${text}`, { guild, mentions: [h.fake.botUser], author });

  beforeAll(async () => {
    h = await startHarness();
    h.fake.addGuild(guild);
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a DM follow-up is read against the question before it', async () => {
    const author = fakeUser('dm-reader');
    const first = message('who is kirby', { author });
    await ask(h, first);
    const next = await ask(h, {
      ...message('what did he say about biden', { author }),
      channel_id: first.channel_id,
    });
    expect(next.text).toMatch(/seriousness about negotiations/);
  });

  test('two users mentioning the bot in one channel keep their own context', async () => {
    const alice = fakeUser('alice-c');
    const bob = fakeUser('bob-c');
    await ask(h, mention(h, 'who is kirby', alice));
    await ask(h, mention(h, 'who is zelensky', bob));
    const aliceNext = await ask(h, mention(h, 'what did he say about biden', alice));
    const bobNext = await ask(h, mention(h, 'where did he go', bob));
    expect(aliceNext.text).toMatch(/seriousness about negotiations/);
    expect(bobNext.text).toMatch(/Zelenskiy/);
  });

  test("replying to an older bot message resumes that message's context", async () => {
    const carol = fakeUser('carol-c');
    const zelensky = await ask(h, mention(h, 'who is zelensky', carol));
    await ask(h, mention(h, 'how many years in prison', carol));
    const resumed = await ask(h, {
      ...mention(h, 'where did he go', carol),
      message_reference: { message_id: zelensky.id, channel_id: guild.channelId, guild_id: guild.id },
      type: 19,
    });
    expect(resumed.text).toMatch(/Zelenskiy/);
  });

  test('/ask by the same user in the same channel continues the mention conversation', async () => {
    const dave = fakeUser('dave-c');
    await ask(h, mention(h, 'who is kirby', dave));
    const callback = await h.fake.interact(
      chatInput(h.fake, 'ask', { question: 'what did he say about biden' }, { guild, user: dave }),
    );
    expect(JSON.stringify(bodyOf(callback).data)).toMatch(/seriousness about negotiations/);
  });
});
