import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { SuggestionCodec } from '../../../src/adapters/discord/render.ts';
import {
  buttonPress,
  chatInput,
  type FakeInteraction,
  type FakeMessage,
  fakeGuild,
  fakeUser,
  message,
} from '../../fakes/discord-fake.ts';
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

/** Runs an interaction and resolves with the text its answer shows and the id of that message. */
async function respond(h: Harness, interaction: FakeInteraction): Promise<{ text: string; id: string }> {
  const callback = bodyOf(await h.fake.interact(interaction));
  // A deferred answer arrives as an edit of `@original`; a direct one is in the callback.
  const shown =
    callback.type === 5
      ? bodyOf(
          await h.fake.waitForRequest(
            (r) =>
              r.method === 'PATCH' &&
              /\/messages\/(@|%40)original$/.test(r.path) &&
              r.path.includes(`/${interaction.token}/`),
          ),
        )
      : callback.data;
  const id = h.fake.responseMessageId(interaction);
  if (!id) throw new Error('the interaction has no response message');
  return { text: JSON.stringify(shown.embeds ?? shown.content), id };
}

/** A mention of the bot that is a Discord reply to the bot's message `id` in `guild`. */
const replyingTo = (
  sent: FakeMessage,
  id: string,
  guild: { id: string; channelId: string },
): FakeMessage => ({
  ...sent,
  message_reference: { message_id: id, channel_id: guild.channelId, guild_id: guild.id },
  type: 19,
});

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
    const bobNext = await ask(h, mention(h, 'what did he do', bob));
    expect(aliceNext.text).toMatch(/seriousness about negotiations/);
    expect(bobNext.text).toMatch(/Zelenskiy/);
  });

  test("replying to an older bot message resumes that message's context", async () => {
    const carol = fakeUser('carol-c');
    const zelensky = await ask(h, mention(h, 'who is zelensky', carol));
    await ask(h, mention(h, 'how many years in prison', carol));
    const resumed = await ask(h, {
      ...mention(h, 'what did he do', carol),
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

  test("replying to the bot's answer to /ask resumes that answer's context", async () => {
    const erin = fakeUser('erin-c');
    const kirby = await respond(
      h,
      chatInput(h.fake, 'ask', { question: 'who is kirby' }, { guild, user: erin }),
    );
    expect(kirby.text).toMatch(/Kirby/);
    // The conversation moves on to Zelenskiy: read on its own, "he" would now be him.
    await ask(h, mention(h, 'who is zelensky', erin));
    const resumed = await ask(
      h,
      replyingTo(mention(h, 'what did he say about biden', erin), kirby.id, guild),
    );
    expect(resumed.text).toMatch(/seriousness about negotiations/);
  });

  test("replying to the answer a suggestion button produced resumes that answer's context", async () => {
    const frank = fakeUser('frank-c');
    const zelensky = h.service.ask('who is zelensky');
    if (zelensky.kind !== 'answer') throw new Error('the core should answer "who is zelensky"');
    const button = new SuggestionCodec().encode({
      label: zelensky.matchedQuestion,
      entryId: zelensky.entryId,
    });
    const pressed = await respond(h, buttonPress(h.fake, button, { guild, user: frank }));
    expect(pressed.text).toMatch(/Zelenskiy/);
    await ask(h, mention(h, 'how many years in prison', frank));
    const resumed = await ask(h, replyingTo(mention(h, 'what did he do', frank), pressed.id, guild));
    expect(resumed.text).toMatch(/Zelenskiy/);
  });
});

describe('conversations over the wire (Discord), answers that were deferred', () => {
  let h: Harness;
  const guild = fakeGuild();
  beforeAll(async () => {
    h = await startHarness({ deferAfterMs: 0 });
    h.fake.addGuild(guild);
  });
  afterAll(async () => {
    await h?.close();
  });

  test("replying to a deferred /ask answer (edited into place) resumes that answer's context", async () => {
    const gina = fakeUser('gina-c');
    const mention = (text: string) =>
      message(`<@${h.fake.botUser.id}> ${text}`, { guild, mentions: [h.fake.botUser], author: gina });
    const kirby = await respond(
      h,
      chatInput(h.fake, 'ask', { question: 'who is kirby' }, { guild, user: gina }),
    );
    expect(kirby.text).toMatch(/Kirby/);
    await ask(h, mention('who is zelensky'));
    const resumed = await ask(h, replyingTo(mention('what did he say about biden'), kirby.id, guild));
    expect(resumed.text).toMatch(/seriousness about negotiations/);
  });
});
