import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.ts';
import {
  defuseMentions,
  embedLength,
  plain,
  renderNote,
  renderReply,
  SuggestionCodec,
  truncate,
} from '../../../src/adapters/discord/render.ts';
import type { AnswerReply, InfoReply, Reply } from '../../../src/core/reply.ts';
import { realService } from './harness.ts';

const service = realService();
const codec = new SuggestionCodec();
/** A suggestion as the core makes them; the id only has to be a valid entry id. */
const sg = (label: string, entryId = `e${label.length}-${label.charCodeAt(0)}`) => ({ label, entryId });
const source = { publisher: 'IBTimes', headline: service.article.headline };
const context = { source, codec };

const answer = (overrides: Partial<AnswerReply> = {}): AnswerReply => ({
  kind: 'answer',
  entryId: 'e1',
  matchedQuestion: 'What did Kirby say?',
  text: 'Kirby said Putin has shown zero sign of being willing to negotiate.',
  quotes: [{ text: 'He has shown zero sign of willingness to negotiate.', speaker: 'John Kirby' }],
  parts: [],
  confidence: 0.9,
  suggestions: [sg('Who is John Kirby?', 'who-is-kirby'), sg('What did Putin say?', 'putin-said')],
  ...overrides,
});

function assertWithinLimits(message: ReturnType<typeof renderReply>): void {
  expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
  expect((message.content ?? '').length).toBeLessThanOrEqual(L.content);
  for (const embed of message.embeds) {
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(L.embedDescription);
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(L.embedTitle);
    expect(embedLength(embed)).toBeLessThanOrEqual(L.embedTotal);
  }
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(L.buttonsPerRow);
    const ids = row.components.map((b) => b.custom_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const button of row.components) {
      expect(button.custom_id.length).toBeLessThanOrEqual(L.customId);
      expect(button.label?.length ?? 0).toBeLessThanOrEqual(L.buttonLabel);
      expect(button.label?.length ?? 0).toBeGreaterThan(0);
    }
  }
}

describe('renderReply', () => {
  test('an answer is an embed: text, quotes as block quotes with speaker, publisher footer, buttons', () => {
    expect(renderReply(answer(), context)).toEqual({
      embeds: [
        {
          color: 0x2b7bb9,
          title: 'What did Kirby say?',
          description:
            'Kirby said Putin has shown zero sign of being willing to negotiate.\n\n' +
            '> He has shown zero sign of willingness to negotiate.\n— **John Kirby**',
          footer: { text: `Source: IBTimes, "${service.article.headline}"` },
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 2, label: 'Who is John Kirby?', custom_id: 'e:who-is-kirby' },
            { type: 2, style: 2, label: 'What did Putin say?', custom_id: 'e:putin-said' },
          ],
        },
      ],
      allowedMentions: { parse: [], repliedUser: false },
    });
  });

  test('info replies show the quote context; declines have no footer and no quotes', () => {
    const info: InfoReply = {
      kind: 'info',
      title: 'Quote: John Kirby',
      text: 'White House reaction',
      quotes: [{ text: 'Zero sign.', speaker: 'John Kirby', context: 'to reporters' }],
      suggestions: [],
    };
    const [embed] = renderReply(info, context).embeds;
    expect(embed?.description).toBe(
      'White House reaction\n\n> Zero sign.\n— **John Kirby** · *to reporters*',
    );
    expect(embed?.footer).toEqual({ text: `Source: IBTimes, "${service.article.headline}"` });
    const decline = renderReply(
      { kind: 'decline', reason: 'not-covered', text: 'Not covered.', confidence: 0.1, suggestions: [] },
      context,
    );
    expect(decline.embeds[0]).toEqual({ color: 0x80848e, description: 'Not covered.' });
    expect(decline.components).toEqual([]);
  });

  test('the embed links to the article when the knowledge base gives its url, and to nothing else', () => {
    const url = 'https://www.example.org/putin-wants-end-war';
    const linked = { source: { ...source, url }, codec };
    expect(renderReply(answer(), linked).embeds[0]).toMatchObject({ title: 'What did Kirby say?', url });
    const info: InfoReply = { kind: 'info', title: 'About', text: 'x', quotes: [], suggestions: [] };
    expect(renderReply(info, linked).embeds[0]?.url).toBe(url);
    // A decline cites nothing; an address Discord would refuse (or a script) is never written.
    const decline = {
      kind: 'decline',
      reason: 'not-covered',
      text: 'No.',
      confidence: 0.1,
      suggestions: [],
    } as const;
    expect(renderReply(decline, linked, { asked: 'q' }).embeds[0]?.url).toBeUndefined();
    for (const bad of ['javascript:alert(1)', 'ftp://example.org/a', 'https://exa mple.org']) {
      expect(
        renderReply(answer(), { source: { ...source, url: bad }, codec }).embeds[0]?.url,
      ).toBeUndefined();
    }
    expect(renderReply(answer(), context).embeds[0]?.url).toBeUndefined();
  });

  test('a "did you mean" or a decline is titled with the question asked: one line, escaped, within 256', () => {
    const clarify = {
      kind: 'clarify',
      text: 'Did you mean:',
      confidence: 0.4,
      suggestions: [sg('A?')],
    } as const;
    expect(renderReply(clarify, context, { asked: '  **who**\n  is  @everyone ' }).embeds[0]?.title).toBe(
      'You asked: "\\*\\*who\\*\\* is @\u200beveryone"',
    );
    const long = renderReply(clarify, context, { asked: 'why '.repeat(200) }).embeds[0]?.title ?? '';
    expect(long).toHaveLength(L.embedTitle);
    expect(long.endsWith('…')).toBe(true);
    // Without the question (an entry button), no title; answers keep the matched question.
    expect(renderReply(clarify, context).embeds[0]?.title).toBeUndefined();
    expect(renderReply(answer(), context, { asked: 'kirby?' }).embeds[0]?.title).toBe('What did Kirby say?');
  });

  test('help writes a mention for each command with a known id, /name otherwise, and escapes the rest', () => {
    const help: InfoReply = {
      kind: 'info',
      title: 'Help',
      text: 'Ask me.',
      quotes: [],
      suggestions: [],
      commands: [
        { name: 'ask', args: '<question>', description: 'Ask *anything*', example: 'who is kirby' },
        { name: 'quote', args: '[speaker]', description: 'Quotes' },
        { name: 'about', args: '', description: 'About' },
      ],
    };
    const ids = new Map([
      ['ask', '123456789012345678'],
      ['quote', 'not-a-snowflake>'],
    ]);
    expect(renderReply(help, { ...context, commandIds: ids }).embeds[0]?.description).toBe(
      'Ask me.\n' +
        '- </ask:123456789012345678> <question>: Ask \\*anything\\* (e.g. </ask:123456789012345678> who is kirby)\n' +
        '- /quote [speaker]: Quotes\n' +
        '- /about: About',
    );
  });

  test('a pager shows one page of a long list, Page n of m in the footer, and clamps the page', () => {
    const quotes = Array.from({ length: 9 }, (_, i) => ({ text: `Quote ${i}.`, speaker: 'Putin' }));
    const list: InfoReply = { kind: 'info', title: 'Quotes', text: '9 quotes.', quotes, suggestions: [] };
    const page = (n?: number) =>
      renderReply(
        list,
        { ...context, quotesPerPage: 4 },
        { pager: { command: 'quote', ...(n === undefined ? {} : { page: n }) } },
      );
    expect(page().embeds[0]?.description).toBe(
      `9 quotes.\n\n${[0, 1, 2, 3].map((i) => `> Quote ${i}.\n— **Putin**`).join('\n\n')}`,
    );
    expect(page(2).embeds[0]?.description).toBe('9 quotes.\n\n> Quote 8.\n— **Putin**');
    expect(page(2).embeds[0]?.footer?.text).toBe(
      `Page 3 of 3 · Source: IBTimes, "${service.article.headline}"`,
    );
    expect(page(99)).toEqual(page(2));
    // A list that fits one page, or a reply rendered without a pager, has no pager buttons.
    expect(
      renderReply(list, { ...context, quotesPerPage: 9 }, { pager: { command: 'quote' } }).components,
    ).toEqual([]);
    expect(renderReply(list, { ...context, quotesPerPage: 4 }).components).toEqual([]);
  });

  test('hostile text cannot ping, restyle or link: mentions are defused and markdown escaped', () => {
    const hostile =
      '@everyone @here <@&123456789012345678> <@123456789012345678> **bold**\n# Heading\n> quoted [x](https://evil.example) `code`';
    const [embed] = renderReply(
      { kind: 'smalltalk', text: hostile, suggestions: [sg('@everyone look')] },
      context,
    ).embeds;
    const description = embed?.description ?? '';
    expect(description).not.toMatch(/@everyone|@here|<@&\d|<@\d/);
    expect(description).toContain('@\u200beveryone');
    expect(description).toContain('\\*\\*bold\\*\\*');
    expect(description).toContain('\n\\# Heading');
    expect(description).toContain('\n\\> quoted');
    expect(description).toContain('\\`code\\`');
    expect(description).not.toMatch(/(?<!\\)\[x\]\(/);
  });

  test('5,000 characters of text stay within the description and total limits', () => {
    const long = 'word '.repeat(1_000);
    const message = renderReply(
      answer({
        text: long,
        matchedQuestion: 'q'.repeat(400),
        quotes: Array.from({ length: 30 }, (_, i) => ({
          text: `quote ${i} ${'x'.repeat(300)}`,
          speaker: 'S',
        })),
        suggestions: Array.from({ length: 12 }, (_, i) =>
          sg(`Suggestion ${i} ${'y'.repeat(150)}`, `entry-${i}`),
        ),
      }),
      context,
    );
    assertWithinLimits(message);
    expect(message.embeds[0]?.description?.endsWith('…')).toBe(true);
    expect(message.embeds[0]?.title).toHaveLength(L.embedTitle);
  });

  test('whole quotes are added while they fit, never cut in half', () => {
    const quotes = Array.from({ length: 20 }, (_, i) => ({
      text: `Q${i} ${'z'.repeat(400)}`,
      speaker: 'Putin',
    }));
    const description = renderReply(answer({ quotes }), context).embeds[0]?.description ?? '';
    const shown = description.split('\n> ').length - 1;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(20);
    expect(description.endsWith('— **Putin**')).toBe(true);
  });

  test('any reply, however hostile or long, respects every Discord limit (property)', () => {
    const text = fc.string({ maxLength: 6_000, unit: 'binary' });
    const reply: fc.Arbitrary<Reply> = fc.record({
      kind: fc.constant('info' as const),
      title: fc.string({ maxLength: 400, unit: 'binary' }),
      text,
      quotes: fc.array(fc.record({ text, speaker: fc.string({ maxLength: 200 }) }), { maxLength: 8 }),
      suggestions: fc.array(
        fc.record({
          label: fc.string({ maxLength: 300, unit: 'binary' }),
          entryId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
        }),
        { maxLength: 10 },
      ),
    });
    const options = fc.record({
      asked: fc.string({ maxLength: 2_000, unit: 'binary' }),
      pager: fc.record({ command: fc.constant('quote'), page: fc.nat(999) }),
    });
    fc.assert(
      fc.property(reply, options, (r, o) => {
        const message = renderReply(r, { ...context, quotesPerPage: 3 }, o);
        assertWithinLimits(message);
        expect(message.embeds[0]?.description?.length).toBeGreaterThan(0);
      }),
      { numRuns: 150, seed: 4 },
    );
  });
});

describe('suggestion buttons', () => {
  test('buttons carry the entry id, not the question; older question buttons still decode', () => {
    const id = codec.encode(sg('Who is Kirby?', 'who-is-kirby'));
    expect(id).toBe('e:who-is-kirby');
    expect(id.length).toBeLessThanOrEqual(L.customId);
    expect(codec.decode(id)).toEqual({ entryId: 'who-is-kirby' });
    // A long curated question still gets a short id: the entry's.
    const longest = service.knowledge.entries.reduce((a, b) =>
      (a.questions[0] ?? '').length >= (b.questions[0] ?? '').length ? a : b,
    );
    expect(codec.encode(sg(longest.questions[0] ?? '', longest.id)).length).toBeLessThanOrEqual(L.customId);
    expect(codec.decode('a:Who is Kirby?')).toEqual({ question: 'Who is Kirby?' });
    expect(codec.decode('p:quote:2')).toEqual({ page: { command: 'quote', page: 2 } });
    expect(codec.decode('p:Quote:2')).toBeUndefined();
    expect(codec.decode('something-else')).toBeUndefined();
    expect(codec.decode('e:')).toBeUndefined();
  });

  test('duplicates are dropped and at most 5 buttons are shown', () => {
    const message = renderReply(
      answer({ suggestions: ['A?', 'A?', 'B?', 'C?', 'D?', 'E?', 'F?'].map((l) => sg(l, `id-${l[0]}`)) }),
      context,
    );
    expect(message.components[0]?.components.map((b) => b.label)).toEqual(['A?', 'B?', 'C?', 'D?', 'E?']);
  });
});

describe('text helpers', () => {
  test('truncate never splits a surrogate pair or leaves an escaping backslash', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('a😀bc', 3)).toBe('a…');
    expect(truncate('ab\\\\cd', 4)).toBe('ab…');
  });

  test('defuseMentions and plain', () => {
    expect(defuseMentions('hi @everyone and <@!1> <#2>')).toBe(
      'hi @\u200beveryone and <@!\u200b1> <#\u200b2>',
    );
    expect(plain('- item\n1. first')).toBe('\\- item\n1\\. first');
  });

  test('notes are plain content within 2,000 characters, with no mentions allowed', () => {
    const note = renderNote('x'.repeat(3_000));
    expect(note.content).toHaveLength(L.content);
    expect(note.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });
});
