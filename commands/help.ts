import type { CommandUsage } from '../src/core/reply.ts';
import type { QaService } from '../src/core/service.ts';
import { TEXTS } from '../src/core/texts.ts';
// A cycle (index lists help), safe because `commands` is read only when help runs.
import { commands } from './index.ts';
import type { Command } from './types.ts';

/** Every command as help lists it, in menu order, with examples that work on this article. */
export function commandUsages(service: QaService): CommandUsage[] {
  return commands.map((c) => {
    const example = c.example?.(service).trim();
    return { name: c.name, args: c.usage ?? '', description: c.description, ...(example ? { example } : {}) };
  });
}

export const help: Command = {
  name: 'help',
  description: 'How to use this bot',
  options: [],
  informational: true,
  parseText: () => ({}),
  run: (service) => ({
    kind: 'info',
    title: TEXTS.helpTitle,
    text: TEXTS.help(
      TEXTS.intro(service.article.headline, service.article.publisher),
      service.examples(1)[0]?.label ?? '',
    ),
    quotes: [],
    commands: commandUsages(service),
    suggestions: service.examples(3),
  }),
};
