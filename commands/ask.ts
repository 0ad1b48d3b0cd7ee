import type { Command } from './types.ts';

export const ask: Command = {
  name: 'ask',
  description: 'Ask a question about the article',
  options: [
    {
      type: 'string',
      name: 'question',
      description: 'Your question, in your own words',
      required: true,
      maxLength: 1000,
      complete: (service, partial) => service.complete(partial, 25).map((q) => ({ name: q, value: q })),
    },
    { type: 'boolean', name: 'private', description: 'Only you see the answer' },
  ],
  usage: '<question>',
  example: (service) => service.examples(1)[0]?.label ?? '',
  parseText: (_service, text) => ({ question: text }),
  question: (args) => (typeof args.question === 'string' ? args.question : ''),
  run: (service, args) => {
    const reply = service.ask(typeof args.question === 'string' ? args.question : '');
    return args.private === true ? { ...reply, private: true } : reply;
  },
};
