import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { inviteUrl } from '../../../src/adapters/discord/invite.ts';
import { plain, renderReply, SuggestionCodec } from '../../../src/adapters/discord/render.ts';
import { DISCORD_TEXTS as T } from '../../../src/adapters/discord/texts.ts';
import { runDeployCommands } from '../../../src/cli/deploy-commands.ts';
import { loadKnowledge } from '../../../src/core/knowledge.ts';
import type { InfoReply, Reply } from '../../../src/core/reply.ts';
import { createQaService } from '../../../src/core/service.ts';
import { TEXTS } from '../../../src/core/texts.ts';
import { buttonPress, chatInput, type DiscordFake, fakeGuild, message } from '../../fakes/discord-fake.ts';
import { bodyOf, type Harness, sourceOf, startHarness, type WireMessage } from './harness.ts';

/**
 * What a reader sees on Discord (issue 10): every command answers privately when asked, help
 * writes clickable command mentions, /quote without arguments pages its list instead of posting
 * every quote, a "did you mean" or a decline shows the question asked, and footers name the
 * article in its own words. Exact payloads, through the real discord.js against the fake.
 */

const EPHEMERAL = 64;
const NO_MENTIONS = { parse: [], replied_user: false };
const FOOTER = `Source: IBTimes, "Putin wants to end the war in Ukraine, says 'sooner the better'"`;
const SHAPED_TOKEN = 'test-only-not-a-token-xx.fake.test-only-not-a-token-xx';

function wire(message: ReturnType<typeof renderReply>): WireMessage {
  return {
    embeds: message.embeds as WireMessage['embeds'],
    components: message.components as WireMessage['components'],
    allowed_mentions: NO_MENTIONS,
  };
}

/** The commands registered on the fake by the real deploy script, so they have ids. */
async function deployTo(fake: DiscordFake): Promise<void> {
  const env = {
    DISCORD_TOKEN: SHAPED_TOKEN,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_ROOT: fake.apiRoot,
  };
  const quietIo = { out: () => undefined, err: () => undefined };
  expect(await runDeployCommands([], env, quietIo)).toBe(0);
}

const idsOn = (fake: DiscordFake) =>
  new Map((fake.registered.get('global') as { name: string; id: string }[]).map((c) => [c.name, c.id]));

describe('Discord reader details over the wire', () => {
  let h: Harness;
  const guild = fakeGuild();
  const codec = new SuggestionCodec();
  const render = (reply: Reply, options: Parameters<typeof renderReply>[2] = {}) =>
    renderReply(reply, { source: sourceOf(h), codec }, options);

  beforeAll(async () => {
    h = await startHarness({ beforeStart: deployTo });
    h.fake.addGuild(guild);
  });
  afterAll(async () => {
    await h?.close();
  });

  test.each([
    ['ask', { question: 'Who is John Kirby?' }],
    ['quote', { speaker: 'kirby' }],
    ['quote', {}],
    ['topics', {}],
    ['about', {}],
    ['help', {}],
  ])('/%s %j with private:true answers ephemerally (flags 64); without it, publicly', async (name, args) => {
    const hidden = bodyOf(
      await h.fake.interact(chatInput(h.fake, name, { ...args, private: true }, { guild })),
    );
    expect(hidden.type).toBe(4);
    expect(hidden.data.flags).toBe(EPHEMERAL);
    const shown = bodyOf(await h.fake.interact(chatInput(h.fake, name, args, { guild })));
    expect(shown.data.flags).toBeUndefined();
    // The same answer either way: only who sees it changes.
    expect(hidden.data.embeds).toEqual(shown.data.embeds);
    expect(hidden.data.allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('every registered command carries the private option', () => {
    const registered = h.fake.registered.get('global') as {
      name: string;
      options: { name: string; type: number }[];
    }[];
    expect(registered.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const command of registered) {
      expect(command.options.filter((o) => o.name === 'private')).toEqual([
        expect.objectContaining({ type: 5, description: T.privateOption, required: false }),
      ]);
    }
  });

  test('/help lists every command as a clickable mention </name:id> once the registered ids are known', async () => {
    const ids = idsOn(h.fake);
    const body = bodyOf(await h.fake.interact(chatInput(h.fake, 'help', {}, { guild })));
    const reply = commands.find((c) => c.name === 'help')?.run(h.service, {}) as InfoReply;
    expect(reply.commands?.map((u) => u.name)).toEqual(commands.map((c) => c.name));
    const lines = (reply.commands ?? []).map((u) => {
      const mention = `</${u.name}:${ids.get(u.name)}>`;
      const example = u.example ? ` (e.g. ${mention} ${plain(u.example)})` : '';
      return `- ${mention}${u.args ? ` ${u.args}` : ''}: ${u.description}${example}`;
    });
    expect(body.data.embeds?.[0]?.description).toBe(`${plain(reply.text)}\n${lines.join('\n')}`);
    expect(body.data.embeds?.[0]?.description).toContain(
      `- </quote:${ids.get('quote')}> [speaker] [topic]: `,
    );
    expect(body.data.allowed_mentions).toEqual(NO_MENTIONS);
  });

  test('/quote without arguments shows one page of quotes and pages with buttons that edit it in place', async () => {
    const all = commands.find((c) => c.name === 'quote')?.run(h.service, {}) as InfoReply;
    // More than one page of four (the knowledge base has 8 whole quotes).
    expect(all.quotes.length).toBeGreaterThan(4);
    const pages = Math.ceil(all.quotes.length / 4);
    const first = bodyOf(await h.fake.interact(chatInput(h.fake, 'quote', {}, { guild })));
    expect(first.type).toBe(4);
    const [embed] = first.data.embeds ?? [];
    expect(embed?.footer?.text).toBe(`${T.page(1, pages)} · ${FOOTER}`);
    // Four quotes, not all of them.
    expect(embed?.description?.match(/^— \*\*/gm)).toHaveLength(4);
    expect(first.data.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: T.previousPage, custom_id: 'p:quote:0', disabled: true },
          { type: 2, style: 2, label: T.nextPage, custom_id: 'p:quote:1', disabled: false },
        ],
      },
    ]);
    expect(first.data).toMatchObject(wire(render(all, { pager: { command: 'quote' } })));

    // Next: the same message is replaced (type 7, UPDATE_MESSAGE) by page 2.
    const second = bodyOf(await h.fake.interact(buttonPress(h.fake, 'p:quote:1', { guild })));
    expect(second.type).toBe(7);
    expect(second.data).toMatchObject(wire(render(all, { pager: { command: 'quote', page: 1 } })));
    expect(second.data.embeds?.[0]?.footer?.text).toBe(`${T.page(2, pages)} · ${FOOTER}`);
    expect(second.data.embeds?.[0]?.description).toContain(plain(all.quotes[4]?.text ?? '?').slice(0, 20));

    // The last page disables Next; a page past the end (the list got shorter) shows the last.
    const last = bodyOf(await h.fake.interact(buttonPress(h.fake, `p:quote:${pages + 3}`, { guild })));
    expect(last.data.embeds?.[0]?.footer?.text).toBe(`${T.page(pages, pages)} · ${FOOTER}`);
    expect(last.data.components?.[0]?.components.map((b) => [b.custom_id, b.disabled])).toEqual([
      [`p:quote:${pages - 2}`, false],
      [`p:quote:${pages - 1}`, true],
    ]);
    // A pager for a command that no longer exists is a stale button, said privately.
    const gone = bodyOf(await h.fake.interact(buttonPress(h.fake, 'p:nosuch:1', { guild })));
    expect(gone.data).toMatchObject({ content: T.staleButton, flags: EPHEMERAL });
  });

  test('"/quote" typed in a DM pages the same way', async () => {
    const sent = message('/quote');
    const request = h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${sent.channel_id}/messages`,
    );
    h.fake.dispatch('MESSAGE_CREATE', sent);
    const body = bodyOf(await request);
    const all = commands.find((c) => c.name === 'quote')?.run(h.service, {}) as InfoReply;
    expect(body.embeds).toEqual(render(all, { pager: { command: 'quote' } }).embeds);
    expect(body.components?.[0]?.components.map((b) => b.custom_id)).toEqual(['p:quote:0', 'p:quote:1']);
  });

  test('a "did you mean" and a decline show the question that was asked as their title', async () => {
    const asked = ['sooner', 'the better', 'talks', 'negotiations', 'putin'].find(
      (q) => h.service.ask(q).kind === 'clarify',
    );
    expect(asked, 'a question the article makes ambiguous').toBeDefined();
    if (!asked) return;
    const clarify = bodyOf(await h.fake.interact(chatInput(h.fake, 'ask', { question: asked }, { guild })));
    expect(clarify.data.embeds?.[0]?.title).toBe(`You asked: "${asked}"`);
    expect(clarify.data).toMatchObject(wire(render(h.service.ask(asked), { asked })));

    const offTopic = 'What is the capital of France?';
    expect(h.service.ask(offTopic).kind).toBe('decline');
    const decline = bodyOf(
      await h.fake.interact(chatInput(h.fake, 'ask', { question: offTopic }, { guild })),
    );
    expect(decline.data.embeds?.[0]).toMatchObject({ title: `You asked: "${offTopic}"` });
    // A decline cites nothing: no footer.
    expect(decline.data.embeds?.[0]?.footer).toBeUndefined();

    // The same for a mention in a channel, whose question is the message without the mention.
    const sent = message(`<@${h.fake.botUser.id}> ${offTopic}`, { guild, mentions: [h.fake.botUser] });
    const request = h.fake.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/channels/${guild.channelId}/messages`,
    );
    h.fake.dispatch('MESSAGE_CREATE', sent);
    expect(bodyOf(await request).embeds?.[0]?.title).toBe(`You asked: "${offTopic}"`);
  });

  test('answers and /about name the publisher and the headline in the footer', async () => {
    const answer = bodyOf(
      await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is John Kirby?' })),
    );
    expect(answer.data.embeds?.[0]?.footer).toEqual({ text: FOOTER });
    const about = bodyOf(await h.fake.interact(chatInput(h.fake, 'about', {})));
    expect(about.data.embeds?.[0]?.title).toBe(TEXTS.aboutTitle);
    expect(about.data.embeds?.[0]?.footer).toEqual({ text: FOOTER });
    expect(about.data.embeds?.[0]?.description).toContain(plain(h.service.article.headline));
  });

  test('a bot in no server logs the invite URL at start-up', () => {
    const line = h.logs.find((l) => l.msg.startsWith('discord: the bot is in no server yet'));
    expect(line).toMatchObject({ level: 40, inviteUrl: inviteUrl(h.fake.applicationId) });
    expect(inviteUrl(h.fake.applicationId)).toBe(
      `https://discord.com/oauth2/authorize?client_id=${h.fake.applicationId}&scope=bot+applications.commands&permissions=274877991936`,
    );
  });
});

describe('a page that is slow to draw', () => {
  test('defers as an update (type 6), then the page edits the pressed message', async () => {
    const h = await startHarness({ deferAfterMs: 0 });
    try {
      const press = buttonPress(h.fake, 'p:quote:1');
      expect(bodyOf(await h.fake.interact(press))).toEqual({ type: 6 });
      const edit = await h.fake.waitForRequest(
        (r) =>
          r.method === 'PATCH' &&
          r.path === `/webhooks/${h.fake.applicationId}/${press.token}/messages/%40original`,
      );
      const all = commands.find((c) => c.name === 'quote')?.run(h.service, {}) as InfoReply;
      const expected = renderReply(
        all,
        { source: sourceOf(h), codec: new SuggestionCodec() },
        {
          pager: { command: 'quote', page: 1 },
        },
      );
      expect(bodyOf(edit)).toMatchObject(wire(expected));
    } finally {
      await h.close();
    }
  });
});

describe('a knowledge base that gives the article address', () => {
  test('answer and /about embeds link to it; declines do not', async () => {
    const kb = loadKnowledge();
    const url = 'https://www.example.org/putin-wants-to-end-the-war';
    const h = await startHarness({ service: createQaService({ ...kb, article: { ...kb.article, url } }) });
    try {
      const answer = bodyOf(
        await h.fake.interact(chatInput(h.fake, 'ask', { question: 'Who is John Kirby?' })),
      );
      expect(answer.data.embeds?.[0]).toMatchObject({ url, footer: { text: FOOTER } });
      const about = bodyOf(await h.fake.interact(chatInput(h.fake, 'about', {})));
      expect(about.data.embeds?.[0]?.url).toBe(url);
      const decline = bodyOf(
        await h.fake.interact(chatInput(h.fake, 'ask', { question: 'What is the capital of France?' })),
      );
      expect(decline.data.embeds?.[0]?.url).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});

describe('help before the command ids are known', () => {
  test('without registered commands, /help writes /name as text', async () => {
    const h = await startHarness();
    try {
      const body = bodyOf(await h.fake.interact(chatInput(h.fake, 'help', {})));
      const description = body.data.embeds?.[0]?.description ?? '';
      expect(description).toContain('- /quote [speaker] [topic]: ');
      expect(description).not.toContain('</');
    } finally {
      await h.close();
    }
  });
});
