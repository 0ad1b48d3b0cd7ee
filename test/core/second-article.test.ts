import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { commandHelpText } from '../../src/conversation/command-text.ts';
import { parseKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';

/** A second article is a data change, not a code change: a tiny knowledge base written here. */
const article = [
  'Town opens new library after long wait',
  'The town of Millbrook opened its new library on Saturday, mayor Ana Ruiz said.',
  '"This building is for every reader in Millbrook," Ruiz told the crowd.',
  'The library holds 40,000 books and cost 12 million dollars.',
].join('\n');

const file = {
  article: {
    headline: 'Town opens new library after long wait',
    publisher: 'Millbrook Gazette',
    file: 'article.txt',
    summary: 'Millbrook opened a new library, its mayor said.',
    // This article's address is known (the first article's is not): /about and answers link it.
    url: 'https://gazette.example/millbrook-library',
  },
  lexicon: [['ruiz', 'ana ruiz', 'mayor ruiz']],
  entries: [
    {
      id: 'opening',
      topic: 'The library opening',
      questions: ['When did the library open?', 'Is the new library open?', 'what day did it open'],
      answer: 'The new library opened on Saturday, according to mayor Ana Ruiz.',
      support: [
        {
          text: 'The town of Millbrook opened its new library on Saturday, mayor Ana Ruiz said.',
          speaker: 'the article',
        },
        { text: 'Town opens new library after long wait', speaker: 'the article' },
      ],
    },
    {
      id: 'books',
      topic: 'Size and cost',
      questions: ['How many books does the library have?', 'How much did it cost?', 'how big is it'],
      answer: 'The library holds 40,000 books and cost 12 million dollars.',
      support: [
        { text: 'The library holds 40,000 books and cost 12 million dollars.', speaker: 'the article' },
      ],
    },
    {
      id: 'mayor-quote',
      topic: 'What the mayor said',
      questions: ['What did the mayor say?', 'Who is Ana Ruiz?', 'what did ruiz tell people'],
      answer: 'Mayor Ana Ruiz said the building is for every reader in Millbrook.',
      support: [
        {
          text: '"This building is for every reader in Millbrook," Ruiz told the crowd.',
          speaker: 'the article',
        },
      ],
    },
  ],
  gaps: [
    {
      id: 'opening-hours',
      questions: ['What are the opening hours?', 'when does it close each day'],
      answer: 'The article does not give opening hours.',
    },
  ],
  quotes: [
    {
      id: 'reader',
      speaker: 'Ana Ruiz',
      text: 'This building is for every reader in Millbrook',
      context: 'At the opening.',
    },
  ],
};

const kb = parseKnowledge(JSON.stringify(file), () => article, 'second.json');
const service = createQaService(kb);
const reached = (q: string) => {
  const r = service.ask(q);
  return r.kind === 'answer' ? r.entryId : r.kind === 'clarify' ? `clarify:${r.suggestions[0]}` : r.kind;
};

describe('a second article, from data alone', () => {
  it('answers from its own entries, in casual wording', () => {
    expect(reached('how many books r in the new library')).toBe('books');
    expect(['mayor-quote', 'clarify:What did the mayor say?']).toContain(reached('what did mayor ruiz say'));
  });

  it('uses its own aliases from the data lexicon', () => {
    expect(service.tokens('Ana Ruiz')).toEqual(service.tokens('ruiz'));
  });

  it('declines what it does not say, and never answers with the other article', () => {
    expect(service.ask('what did putin say about the war').kind).toBe('decline');
    expect(service.ask('what are the library opening hours').kind).not.toBe('answer');
  });

  it('quotes its own speakers', () => {
    expect(service.speakers()).toEqual(['Ana Ruiz']);
    expect(service.findQuotes({ speaker: 'ruiz' })[0]?.id).toBe('reader');
  });

  it('its help, speaker choices and /quote examples come from its data, not the first article', () => {
    const run = (name: string, text = '') => {
      const c = commands.find((x) => x.name === name);
      if (!c) throw new Error(name);
      return c.run(service, c.parseText(service, text));
    };
    const help = run('help');
    const helpText = `${help.text}\n${help.kind === 'info' ? commandHelpText(help.commands ?? []) : ''}`;
    expect(helpText).toContain('/quote ruiz');
    expect(helpText).toContain('When did the library open?');
    expect(helpText).not.toMatch(/kirby|putin|prison/i);
    expect(run('quote').text).toContain('e.g. /quote ruiz');
    const speaker = commands.find((c) => c.name === 'quote')?.options.find((o) => o.name === 'speaker');
    expect(speaker?.type === 'string' && speaker.complete?.(service, 'ru')).toEqual([
      { name: 'Ana Ruiz', value: 'Ana Ruiz' },
    ]);
    const quoted = run('quote', 'ruiz');
    expect(quoted.kind === 'info' && quoted.quotes[0]?.text).toContain('every reader');
  });

  it('gives its address when the data has one: in /about and to adapters through service.article', () => {
    expect(service.article.url).toBe('https://gazette.example/millbrook-library');
    const about = commands.find((c) => c.name === 'about')?.run(service, {});
    expect(about?.text).toContain('Link: https://gazette.example/millbrook-library');
    expect(about?.text).toContain('Article: "Town opens new library after long wait"');
    expect(about?.text).toContain('Publisher: Millbrook Gazette');
  });
});
