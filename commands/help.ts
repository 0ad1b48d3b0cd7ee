import { TEXTS } from '../src/core/texts.ts';
import { quoteExample } from './quote.ts';
import type { Command } from './types.ts';

export const help: Command = {
  name: 'help',
  description: 'How to use this bot',
  options: [],
  parseText: () => ({}),
  run: (service) => ({
    kind: 'info',
    title: TEXTS.helpTitle,
    text: TEXTS.help(
      TEXTS.intro(service.article.headline, service.article.publisher),
      service.examples(1)[0]?.label ?? '',
      quoteExample(service),
    ),
    quotes: [],
    suggestions: service.examples(3),
  }),
};
