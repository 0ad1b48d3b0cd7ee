import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KNOWLEDGE_PATH,
  KnowledgeError,
  loadKnowledge,
  MIN_QUOTE_WORDS,
  normalizeForVerbatim,
  parseKnowledge,
  quoteShapeProblems,
  splitSentences,
} from '../../src/core/knowledge.ts';
import { NARRATOR } from '../../src/core/reply.ts';

const raw = readFileSync(DEFAULT_KNOWLEDGE_PATH, 'utf8');
const article = readFileSync(new URL('../../data/article.txt', import.meta.url), 'utf8');
const shared = new URL('../../../shared/article.txt', import.meta.url);

function broken(
  mutate: (kb: Record<string, unknown> & { entries: Record<string, unknown>[] }) => void,
): string[] {
  const kb = JSON.parse(raw);
  mutate(kb);
  try {
    parseKnowledge(JSON.stringify(kb), () => article, 'knowledge.json');
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return [...(error as KnowledgeError).problems];
  }
  throw new Error('expected the knowledge base to be rejected');
}

describe('knowledge base', () => {
  it('loads and passes every check', () => {
    const kb = loadKnowledge();
    expect(kb.entries.length).toBeGreaterThanOrEqual(20);
    expect(kb.quotes.length).toBeGreaterThanOrEqual(8);
  });

  it('ships the article exactly as published', () => {
    let original: string;
    try {
      original = readFileSync(shared, 'utf8');
    } catch {
      return; // shared/ sits beside the checkout on developer machines and CI only.
    }
    expect(article).toBe(original);
  });

  it('has several distinct sample questions for every entry', () => {
    for (const entry of loadKnowledge().entries) {
      expect(entry.questions.length, entry.id).toBeGreaterThanOrEqual(3);
      expect(new Set(entry.questions.map((q) => q.toLowerCase())).size, entry.id).toBe(
        entry.questions.length,
      );
    }
  });

  it('quotes every direct quotation of the article', () => {
    const kb = loadKnowledge();
    const quoted = kb.quotes.map((q) => normalizeForVerbatim(q.text));
    // Text between double quotes, long enough to be a real quotation rather than a term in quotes
    // ("special military operation"): as long as a quote must be.
    const direct = article
      .split('\n')
      .flatMap((line) => [...normalizeForVerbatim(line).matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''))
      .filter((q) => q.split(/\s+/).length >= MIN_QUOTE_WORDS);
    expect(direct.length).toBeGreaterThanOrEqual(8);
    for (const quotation of direct) {
      expect(
        quoted.some((q) => q.includes(quotation.trim()) || quotation.includes(q)),
        quotation,
      ).toBe(true);
    }
  });

  it('shows every quote whole: no fragment, no stray comma, balanced quote marks, none around it', () => {
    const kb = loadKnowledge();
    const shown = [
      ...kb.quotes.map((q) => ({ where: `quote ${q.id}`, text: q.text })),
      ...kb.entries.flatMap((e) => e.support.map((s) => ({ where: `entry ${e.id}`, text: s.text }))),
    ];
    for (const { where, text } of shown) {
      const marks = (text.match(/["\u201C\u201D]/g) ?? []).length;
      expect(marks % 2, `${where}: balanced quote marks`).toBe(0);
      expect(text.trim(), `${where}: no trailing comma`).not.toMatch(/[,;:]["\u201D]?$/);
      expect(text.trim(), `${where}: no surrounding quote marks`).not.toMatch(
        /^["\u201C][^"\u201C\u201D]*["\u201D]\W*$/,
      );
      expect(text.split(/\s+/).length, `${where}: not a fragment`).toBeGreaterThanOrEqual(MIN_QUOTE_WORDS);
      expect(quoteShapeProblems(text), where).toEqual([]);
    }
  });

  it('attributes every quote to who said those words, and narration one way', () => {
    const kb = loadKnowledge();
    const speakers = new Set(kb.quotes.map((q) => q.speaker));
    expect([...speakers].sort()).toEqual(['John Kirby', 'Vladimir Putin']);
    for (const entry of kb.entries) {
      for (const s of entry.support) {
        // A person's words alone, without the article's quote marks, or the article's own sentence.
        if (s.speaker === NARRATOR) continue;
        expect(speakers.has(s.speaker), `${entry.id}: ${s.speaker}`).toBe(true);
        expect(s.text, entry.id).not.toMatch(/["\u201C\u201D]/);
      }
    }
  });

  it.each([
    ['a war.', /fragment/],
    ['sooner the better', /fragment/],
    [
      'Our goal is not to spin the flywheel of military conflict, but, on the contrary, to end this war,',
      /stray/,
    ],
    ['"We will strive for an end to this, and the sooner the better, of course."', /surrounding/],
    ['Putin said on Thursday that Russia wants to end the war, and "the sooner', /unbalanced/],
  ])('rejects %j as a quote', (text, problem) => {
    expect(quoteShapeProblems(text).join('\n')).toMatch(problem);
  });

  it('rejects a quote that is a fragment or cut before its attribution, naming it', () => {
    const problems = broken((kb) => {
      const quotes = kb.quotes as { id: string; speaker: string; text: string; context: string }[];
      quotes.push(
        { id: 'a-war', speaker: 'Vladimir Putin', text: 'a war.', context: 'x' },
        {
          id: 'cut',
          speaker: 'Vladimir Putin',
          text: 'All armed conflicts end one way or another with some kind of negotiations on the diplomatic track,',
          context: 'x',
        },
      );
    }).join('\n');
    expect(problems).toMatch(/quote "a-war": is a fragment/);
    expect(problems).toMatch(/quote "cut": ends with a stray punctuation mark/);
  });

  it("rejects narration attributed another way, and a person credited with the article's sentence", () => {
    const problems = broken((kb) => {
      const support = (i: number) =>
        (kb.entries[i] as { support: { text: string; speaker: string }[] }).support;
      const headline = kb.entries.findIndex((e) => e.id === 'headline');
      const violence = kb.entries.findIndex((e) => e.id === 'kirby-violence');
      (support(headline)[0] as { speaker: string }).speaker = 'the article (headline)';
      (support(violence)[0] as { speaker: string }).speaker = 'John Kirby';
    }).join('\n');
    expect(problems).toMatch(/entry "headline" support\[0\]: speaker "the article \(headline\)"/);
    expect(problems).toMatch(
      /entry "kirby-violence" support\[0\]: speaker "John Kirby": the text contains quote marks/,
    );
  });

  it('accepts an https url for the article, and rejects any other', () => {
    const kb = JSON.parse(raw);
    kb.article.url = 'https://example.org/putin-article';
    expect(parseKnowledge(JSON.stringify(kb), () => article, 'knowledge.json').article.url).toBe(
      'https://example.org/putin-article',
    );
    kb.article.url = 'http://example.org/putin-article';
    expect(() => parseKnowledge(JSON.stringify(kb), () => article, 'knowledge.json')).toThrow(
      /article\.url: must start with https:\/\//,
    );
    // The shipped knowledge base has none: the article names no address, and none is invented.
    expect(loadKnowledge().article.url).toBeUndefined();
  });

  it('splits the article into sentences that entries cover', () => {
    const sentences = splitSentences(article);
    expect(sentences.length).toBeGreaterThan(14);
    expect(sentences).toContain(
      'This is also the first time that Putin has called his invasion of Ukraine "a war."',
    );
  });

  it('names the entry and the problem for an empty answer', () => {
    const problems = broken((kb) => {
      (kb.entries[0] as { answer: string }).answer = '  ';
    });
    expect(problems.join('\n')).toMatch(/entries\[0\] \(id "putin-wants-end"\)\.answer: must not be empty/);
  });

  it.each(["kirby's job", 'x'.repeat(63), ''])('rejects an entry id buttons cannot carry: %j', (id) => {
    const problems = broken((kb) => {
      (kb.entries[0] as { id: string }).id = id;
    });
    expect(problems.join('\n')).toMatch(/entries\[0\].*\.id: must be 1-62 characters/);
  });

  it('rejects a duplicate id', () => {
    const problems = broken((kb) => {
      (kb.entries[1] as { id: string }).id = 'putin-wants-end';
    });
    expect(problems.join('\n')).toMatch(/id "putin-wants-end" is already used/);
  });

  it('rejects a supporting quote that is not verbatim in the article', () => {
    const problems = broken((kb) => {
      (kb.entries[2] as { support: { text: string; speaker: string }[] }).support[0] = {
        text: 'Putin said he will never negotiate.',
        speaker: 'the article',
      };
    });
    expect(problems.join('\n')).toMatch(/support\[0\]: text is not verbatim in the article/);
  });

  it('accepts curly quotes and extra spaces, which are only style', () => {
    const kb = JSON.parse(raw);
    kb.entries[0].support[0].text = kb.entries[0].support[0].text.replace(/"/g, '\u201C').replace(/ /g, '  ');
    expect(() => parseKnowledge(JSON.stringify(kb), () => article, 'knowledge.json')).not.toThrow();
  });

  it('reports an article sentence no entry supports', () => {
    const problems = broken((kb) => {
      kb.entries = kb.entries.filter((e) => e.id !== 'publisher' && e.id !== 'article-summary');
    });
    expect(problems.join('\n')).toMatch(
      /no entry is supported by the article sentence: "© Copyright IBTimes 2024\."/,
    );
  });

  it('reports invalid JSON with the file name', () => {
    expect(() => parseKnowledge('{ not json', () => article, 'data/knowledge.json')).toThrow(
      /Knowledge base data\/knowledge\.json is invalid:\n {2}- not valid JSON/,
    );
  });

  it('reports a missing file', () => {
    expect(() => loadKnowledge('/nonexistent/knowledge.json')).toThrow(
      /\/nonexistent\/knowledge\.json is invalid/,
    );
  });
});

describe('examples', () => {
  it('rejects an example that names no entry', () => {
    const kb = JSON.parse(raw);
    kb.article.examples = ['no-such-entry'];
    expect(() => parseKnowledge(JSON.stringify(kb), () => article, 'knowledge.json')).toThrow(
      /article\.examples names "no-such-entry"/,
    );
  });
});
