import { TEXTS } from '../src/core/texts.ts';
import type { Command } from './types.ts';

export const about: Command = {
  name: 'about',
  description: 'The article and what this bot is',
  options: [],
  parseText: () => ({}),
  run: (service) => {
    const { headline, publisher, summary } = service.article;
    return {
      kind: 'info',
      title: TEXTS.aboutTitle,
      text: `Article: "${headline}"\nPublisher: ${publisher}\n\n${summary}\n\n${TEXTS.intro(headline, publisher)}`,
      quotes: [],
      suggestions: service.examples(3),
    };
  },
};
