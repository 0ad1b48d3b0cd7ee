import { describe, expect, it } from 'vitest';
import { commands, findCommand } from '../commands/index.ts';
import { speakerChoices } from '../commands/quote.ts';
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
  it('declares ask, quote, topics, about and help with names valid on Discord and Telegram', () => {
    expect(commands.map((c) => c.name)).toEqual(['ask', 'quote', 'topics', 'about', 'help']);
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

  it('quote says so when nothing matches', () => {
    const reply = command('quote').run(service, { speaker: 'kirby', topic: 'bitcoin' });
    expect(reply.text).toMatch(/no direct quote/);
  });

  it('topics lists what the article covers, with example questions as suggestions', () => {
    const reply = command('topics').run(service, {});
    expect(reply.text).toMatch(/Who John Kirby is/);
    expect(reply.suggestions.length).toBeGreaterThan(0);
  });

  it('about names the headline and publisher', () => {
    const reply = command('about').run(service, {});
    expect(reply.text).toContain("Putin wants to end the war in Ukraine, says 'sooner the better'");
    expect(reply.text).toContain('IBTimes');
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
