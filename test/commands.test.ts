import { describe, expect, it } from 'vitest';
import { commands, findCommand } from '../commands/index.ts';
import { quoteTopicChoices, speakerChoices } from '../commands/quote.ts';
import type { Command } from '../commands/types.ts';
import { commandHelpText } from '../src/conversation/command-text.ts';
import { loadKnowledge } from '../src/core/knowledge.ts';
import { createQaService } from '../src/core/service.ts';

const service = createQaService(loadKnowledge());

function command(name: string): Command {
  const found = findCommand(name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

describe('command definitions', () => {
  it('declares ask, quote, topics, about, forget and help with names valid on Discord and Telegram', () => {
    expect(commands.map((c) => c.name)).toEqual(['ask', 'quote', 'topics', 'about', 'forget', 'help']);
    for (const c of commands) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const option of c.options) {
        expect(option.name).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(option.description.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('offers a speaker choice for every speaker the article quotes, narrowed by what is typed', () => {
    expect(speakerChoices(service, '').length).toBe(service.speakers().length);
    expect(speakerChoices(service, 'KIR').map((c) => c.value)).toEqual(
      service.speakers().filter((s) => /kir/i.test(s)),
    );
    for (const speaker of service.speakers()) {
      const reachable = speakerChoices(service, '').some((choice) =>
        service.findQuotes({ speaker: choice.value }).some((q) => q.speaker === speaker),
      );
      expect(reachable, speaker).toBe(true);
    }
  });
});

describe('quote topics', () => {
  const topicOption = () => {
    const option = command('quote').options.find((o) => o.name === 'topic');
    if (option?.type !== 'string' || !option.complete) throw new Error('topic has no autocomplete');
    return option.complete;
  };

  it('offers only topics that have quotes, and each returns quotes about it', () => {
    const offered = topicOption()(service, '');
    expect(offered.length).toBeGreaterThan(2);
    expect(offered.length).toBeLessThan(service.topics().length);
    for (const choice of offered) {
      const reply = command('quote').run(service, { topic: choice.value });
      expect(reply.kind === 'info' && reply.quotes.length, choice.value).toBeGreaterThan(0);
    }
    // No quote is about the prison law or the headline, so neither is offered.
    expect(offered.map((c) => c.value)).not.toContain('The law and its 15-year prison penalty');
    expect(offered.map((c) => c.value)).not.toContain("The article's headline");
  });

  it('a chosen topic returns the quotes about it, not every quote that shares a word', () => {
    const negotiations = command('quote').run(service, { topic: 'Putin on negotiations and diplomacy' });
    expect(negotiations.kind === 'info' && negotiations.quotes.map((q) => q.text)).toEqual([
      'All armed conflicts end one way or another with some kind of negotiations on the diplomatic track',
      'Sooner or later, any parties in a state of conflict sit down and make an agreement. The sooner this realisation comes to those who oppose us, the better. We have never given up on this.',
    ]);
    const biden = command('quote').run(service, { topic: 'Whether Biden will talk to Putin' });
    expect(biden.kind === 'info' && biden.quotes.map((q) => q.speaker)).toEqual(['John Kirby']);
  });

  it('narrows the topic choices by what is typed', () => {
    const choices = quoteTopicChoices(service, 'KIRBY');
    expect(choices.length).toBeGreaterThan(0);
    for (const c of choices) expect(c.value).toMatch(/kirby/i);
  });
});

describe('running commands', () => {
  it('ask answers and honours the private flag', () => {
    const ask = command('ask');
    const reply = ask.run(service, { question: 'how many years in prison', private: true });
    expect(reply.kind).toBe('answer');
    expect(reply.private).toBe(true);
    expect(ask.run(service, ask.parseText(service, 'who is kirby')).kind).toBe('answer');
  });

  it('ask autocompletes with at most 25 knowledge-base questions of at most 100 characters', () => {
    const option = command('ask').options.find((o) => o.name === 'question');
    if (option?.type !== 'string' || !option.complete) throw new Error('question has no autocomplete');
    const choices = option.complete(service, 'kirby');
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it('quote with no argument lists every quote', () => {
    const reply = command('quote').run(service, {});
    expect(reply.kind).toBe('info');
    if (reply.kind === 'info') expect(reply.quotes).toHaveLength(service.knowledge.quotes.length);
  });

  it('quote finds by speaker and topic from free text', () => {
    const quote = command('quote');
    const args = quote.parseText(service, 'kirby violence');
    expect(args).toEqual({ speaker: 'John Kirby', topic: 'violence' });
    const reply = quote.run(service, args);
    expect(reply.kind === 'info' && reply.quotes[0]?.text).toMatch(
      /visit violence upon the Ukrainian people/,
    );
    expect(reply.kind === 'info' && reply.title).toBe('Quote: John Kirby');
  });

  it('quote kirby shows each quote with its own context', () => {
    const quote = command('quote');
    const reply = quote.run(service, quote.parseText(service, 'kirby'));
    if (reply.kind !== 'info') throw new Error(reply.kind);
    const kirby = service.knowledge.quotes.filter((q) => q.speaker === 'John Kirby');
    expect(reply.quotes.map((q) => q.context)).toEqual(kirby.slice(0, 3).map((q) => q.context));
    expect(new Set(reply.quotes.map((q) => q.context)).size).toBe(reply.quotes.length);
    // The text counts them; it is no one quote's context.
    expect(reply.text).toBe(`${kirby.length} direct quotes match.`);
  });

  it('only help and about are informational: free of the rate limit', () => {
    expect(commands.filter((c) => c.informational).map((c) => c.name)).toEqual(['about', 'help']);
  });

  it('quote says so when nothing matches', () => {
    const reply = command('quote').run(service, { speaker: 'kirby', topic: 'bitcoin' });
    expect(reply.text).toMatch(/no direct quote/);
  });

  it('topics lists what the article covers, with example questions as suggestions', () => {
    const reply = command('topics').run(service, {});
    expect(reply.text).toMatch(/Who John Kirby is/);
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });

  it('about names the headline and publisher, and no link when the data has no address', () => {
    const reply = command('about').run(service, {});
    expect(reply.text).toContain("Putin wants to end the war in Ukraine, says 'sooner the better'");
    expect(reply.text).toContain('IBTimes');
    expect(reply.text).not.toMatch(/Link:|https?:/);
  });

  it('help lists every command from commands/, with its arguments and an example that works', () => {
    const reply = command('help').run(service, {});
    if (reply.kind !== 'info') throw new Error(reply.kind);
    expect(reply.commands?.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    const quoteUsage = reply.commands?.find((c) => c.name === 'quote');
    expect(quoteUsage).toMatchObject({ args: '[speaker] [topic]', example: 'putin' });
    const example = command('quote').run(
      service,
      command('quote').parseText(service, quoteUsage?.example ?? ''),
    );
    expect(example.kind === 'info' && example.quotes.every((q) => q.speaker === 'Vladimir Putin')).toBe(true);
    expect(commandHelpText(reply.commands ?? [])).toContain(
      '- /quote [speaker] [topic]: A verbatim quote from the article, by speaker and/or topic (e.g. /quote putin)',
    );
  });
});
