import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KNOWLEDGE_PATH,
  KnowledgeError,
  loadKnowledge,
  normalizeForVerbatim,
  parseKnowledge,
  splitSentences,
} from '../../src/core/knowledge.ts';

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
    expect(kb.quotes.length).toBeGreaterThanOrEqual(10);
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
    // Text between double quotes, long enough to be a real quotation rather than a scare-quoted term.
    const direct = article
      .split('\n')
      .flatMap((line) => [...normalizeForVerbatim(line).matchAll(/"([^"]{25,})"/g)].map((m) => m[1] ?? ''));
    expect(direct.length).toBeGreaterThanOrEqual(8);
    for (const quotation of direct) {
      expect(
        quoted.some((q) => q.includes(quotation.trim()) || quotation.includes(q)),
        quotation,
      ).toBe(true);
    }
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
