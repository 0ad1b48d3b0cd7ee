import { TEXTS } from '../src/core/texts.ts';
import type { Command } from './types.ts';

const MAX_BUTTONS = 5;

export const topics: Command = {
  name: 'topics',
  description: 'What the article covers, to ask about',
  options: [],
  parseText: () => ({}),
  run: (service) => {
    const list = service.topics();
    return {
      kind: 'info',
      title: TEXTS.topicsTitle,
      text: `${list.map((t) => `- ${t.topic}`).join('\n')}\n\n${TEXTS.topicsFooter}`,
      quotes: [],
      suggestions: list.slice(0, MAX_BUTTONS).map((t) => ({ label: t.example, entryId: t.id })),
    };
  },
};
