import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { quoteExample } from '../../../commands/quote.ts';
import type { Command } from '../../../commands/types.ts';
import { ConversationLayer } from '../../conversation/layer.ts';
import type { Reply, Suggestion } from '../../core/reply.ts';
import type { QaService } from '../../core/service.ts';
import { TEXTS } from '../../core/texts.ts';
import { renderPlain } from './render.ts';

export interface ConsoleChatOptions {
  readonly service: QaService;
  readonly commands: readonly Command[];
  readonly input: Readable;
  readonly output: Writable;
  /** Interactive terminals get a banner and a prompt; pipes get answers only. */
  readonly interactive: boolean;
}

const CONVERSATION = 'console';

/** Turns one console line into a reply: a number picks a suggestion, anything else is the chat's text. */
export function replyToLine(
  line: string,
  layer: ConversationLayer,
  lastSuggestions: readonly Suggestion[],
): Promise<Reply> {
  const text = line.trim();
  const picked = /^\d{1,2}$/.test(text) ? lastSuggestions[Number(text) - 1] : undefined;
  if (picked) return layer.handle({ kind: 'choice', conversation: CONVERSATION, entryId: picked.entryId });
  return layer.handle({ kind: 'text', conversation: CONVERSATION, text });
}

export function banner(service: QaService): string {
  const { headline, publisher } = service.article;
  const examples = service.examples(3).map((q) => `  - ${q.label}`);
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
  let lastSuggestions: readonly Suggestion[] = [];
  let answered = 0;
  // The whole session is one conversation: "what's his job" follows up the question before.
  const layer = new ConversationLayer(service, commands);
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
      try {
        const reply = await replyToLine(line, layer, lastSuggestions);
        lastSuggestions = reply.suggestions;
        answered++;
        output.write(`${interactive ? 'bot> ' : ''}${renderPlain(reply)}\n\n`);
      } catch {
        // One bad line (a failing command) never ends the chat or the lines after it.
        output.write(`${interactive ? 'bot> ' : ''}${TEXTS.consoleFailure}\n\n`);
      }
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
