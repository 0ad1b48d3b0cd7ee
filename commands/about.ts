import { TEXTS } from '../src/core/texts.ts';
import type { Command } from './types.ts';

export const about: Command = {
  name: 'about',
  description: 'The article and what this bot is',
  options: [],
  parseText: () => ({}),
  informational: true,
  run: (service) => {
    const { article } = service;
    return {
      kind: 'info',
      title: TEXTS.aboutTitle,
      text: TEXTS.about(article, TEXTS.intro(article.headline, article.publisher)),
      quotes: [],
      suggestions: service.examples(3),
    };
  },
};
