import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { Matcher } from '../../src/core/matcher.ts';
import { MATCHER_DEFAULTS } from '../../src/core/matcher-config.ts';
import type { QuestionReply } from '../../src/core/reply.ts';
import { createQaService } from '../../src/core/service.ts';

const errors: unknown[] = [];
const service = createQaService(loadKnowledge(), { onError: (error) => errors.push(error) });
const { maxReplyLength } = MATCHER_DEFAULTS.limits;

/** Every reply text field the user could see. */
function visibleTexts(reply: QuestionReply): string[] {
  return [
    reply.text,
    ...reply.suggestions.map((s) => s.label),
    ...(reply.kind === 'answer' ? reply.quotes.map((q) => q.text) : []),
  ];
}

function assertSane(input: string, reply: QuestionReply): void {
  expect(['answer', 'clarify', 'decline', 'smalltalk']).toContain(reply.kind);
  expect(reply.text.trim().length).toBeGreaterThan(0);
  expect(reply.text.length).toBeLessThanOrEqual(maxReplyLength);
  expect(reply.suggestions.length).toBeLessThanOrEqual(3);
  // Replies are built from curated text only: no raw user input is echoed back.
  if (input.trim().length >= 12) {
    for (const text of visibleTexts(reply)) expect(text.includes(input.trim())).toBe(false);
  }
}

const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '<b>',
        '</b>',
        '*',
        '_',
        '~',
        '`',
        '@everyone',
        '@here',
        '<@&123>',
        '\u200B',
        '\u202E',
        '\u0000',
        '\n',
        '&amp;',
        'kirby',
        'prison',
        '😀',
        'Путин',
        '普京',
      ),
    )
    .map((parts) => parts.join(' ')),
);

describe('bad input never breaks the core', () => {
  it('answers any string with a bounded, non-empty reply and no internal error', () => {
    fc.assert(
      fc.property(hostile, (input) => {
        assertSane(input, service.ask(input));
      }),
      { numRuns: 1500 },
    );
    expect(errors).toEqual([]);
  });

  it('refuses huge inputs, up to 100,000 characters, without matching them', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1001, maxLength: 100_000 }),
        fc.constantFrom('a', 'kirby ', '\u200B', ' '),
        (body, filler) => {
          const input = body.length > 2000 ? body : body + filler.repeat(1001);
          const reply = service.ask(input);
          assertSane(input, reply);
          if (input.replace(/\s/g, '').length > 1000) {
            expect(reply.kind).toBe('decline');
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('answers in a bounded number of steps, however long the question', () => {
    // Work is linear in the words the matcher looks at, and it looks at no more than maxTokens of them.
    const matcher = new Matcher(loadKnowledge());
    const { maxTokens } = MATCHER_DEFAULTS.limits;
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 400 }), (parts) => {
        const analysis = matcher.analyze(parts.join(' '));
        expect(analysis.tokens.length).toBeLessThanOrEqual(maxTokens);
        expect(analysis.ranked.length).toBeLessThanOrEqual(matcher.candidates.length);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['', 'smalltalk'],
    ['   \n\t ', 'smalltalk'],
    ['\u200B\u200B\u200B', 'smalltalk'],
    ['😀😀😀', 'smalltalk'],
    ['???', 'decline'],
    ['<b></b>', 'decline'],
    ['Путин хочет мира?', 'decline'],
    ['普京想结束战争吗', 'decline'],
    ['@everyone', 'smalltalk'],
  ])('gives a friendly reply to %j', (input, kind) => {
    const reply = service.ask(input);
    expect(reply.kind).toBe(kind);
    expect(reply.text.length).toBeGreaterThan(10);
  });

  it('still understands a question wrapped in markup and invisible characters', () => {
    const reply = service.ask('**who\u200B is** <i>kirby</i>\u202E?');
    expect(reply.kind === 'answer' && reply.entryId).toBe('who-is-kirby');
  });

  it('says a long message is too long', () => {
    const reply = service.ask('why '.repeat(400));
    expect(reply.kind === 'decline' && reply.reason).toBe('too-long');
    expect(reply.text).toMatch(/shorter question/);
  });

  it('explains that it reads English when the question is in another script', () => {
    const reply = service.ask('Что сказал Кирби?');
    expect(reply.kind).toBe('decline');
    expect(reply.text).toMatch(/English/);
  });
});
