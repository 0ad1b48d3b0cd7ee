import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { quoteExample } from '../../../commands/quote.ts';
import type { Command } from '../../../commands/types.ts';
import { Conversations } from '../../conversation/conversations.ts';
import type { Reply } from '../../core/reply.ts';
import type { QaService } from '../../core/service.ts';
import { renderPlain } from './render.ts';

export interface ConsoleChatOptions {
  readonly service: QaService;
  readonly commands: readonly Command[];
  readonly input: Readable;
  readonly output: Writable;
  /** Interactive terminals get a banner and a prompt; pipes get answers only. */
  readonly interactive: boolean;
}

/** Turns one console line into a reply: "/name args" runs a command, a number picks a suggestion. */
export function replyToLine(
  line: string,
  service: QaService,
  commands: readonly Command[],
  lastSuggestions: readonly string[],
  ask: (question: string) => Reply | Promise<Reply> = (question) => service.ask(question),
): Reply | Promise<Reply> {
  const text = line.trim();
  const picked = /^\d{1,2}$/.test(text) ? lastSuggestions[Number(text) - 1] : undefined;
  if (picked) return ask(picked);
  const command = /^\/([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text);
  if (command) {
    const name = command[1]?.toLowerCase();
    const run = commands.find((c) => c.name === name) ?? commands.find((c) => c.name === 'help');
    if (!run) return ask(text);
    return run.run(service, run.parseText(service, command[2] ?? ''));
  }
  return ask(text);
}

export function banner(service: QaService): string {
  const { headline, publisher } = service.article;
  const examples = service.examples(3).map((q) => `  - ${q}`);
  return [
    `Article Q&A bot: ask about "${headline}" (${publisher}).`,
    `Type a question, a number to pick a suggestion, or /${quoteExample(service)}, /topics, /about, /help. Ctrl+D quits.`,
    'For example:',
    ...examples,
    '',
  ].join('\n');
}

/** Runs until the input ends; resolves then with the number of lines answered. One bad line never ends the chat. */
export function runConsoleChat(options: ConsoleChatOptions): Promise<number> {
  const { service, commands, input, output, interactive } = options;
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  let lastSuggestions: readonly string[] = [];
  let answered = 0;
  // The whole session is one conversation: "what's his job" follows up the question before.
  const conversations = new Conversations(service);
  const ask = async (question: string) => (await conversations.ask('console', question)).reply;
  // Lines are answered in order, each after the one before (a follow-up needs its context).
  let queue: Promise<void> = Promise.resolve();
  const prompt = () => {
    if (interactive) output.write('you> ');
  };
  if (interactive) output.write(`${banner(service)}\n`);
  prompt();
  rl.on('line', (line) => {
    if (!interactive && !line.trim()) return;
    queue = queue.then(async () => {
      const reply = await replyToLine(line, service, commands, lastSuggestions, ask);
      lastSuggestions = reply.suggestions;
      answered++;
      output.write(`${interactive ? 'bot> ' : ''}${renderPlain(reply)}\n\n`);
      prompt();
    });
  });
  return new Promise((resolve) => {
    rl.on('close', () => {
      void queue.then(() => {
        if (interactive) output.write('\nBye!\n');
        resolve(answered);
      });
    });
  });
}
