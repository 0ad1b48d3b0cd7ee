import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { quoteExample } from '../../../commands/quote.ts';
import type { Command } from '../../../commands/types.ts';
import type { Analytics } from '../../analytics/index.ts';
import { ConversationLayer, type Sender, type Turn } from '../../conversation/layer.ts';
import type { Reply, Suggestion } from '../../core/reply.ts';
import type { QaService } from '../../core/service.ts';
import { PlatformError } from '../platform-error.ts';
import { CONSOLE_DEFAULTS } from './defaults.ts';
import { renderPlain } from './render.ts';
import { CONSOLE_TEXTS } from './texts.ts';
import { wrapText } from './wrap.ts';

export interface ConsoleChatOptions {
  readonly service: QaService;
  readonly commands: readonly Command[];
  readonly input: Readable;
  readonly output: Writable;
  /**
   * A person at a terminal: a banner, a prompt, replies wrapped to the width and the help's console
   * note. Otherwise (a pipe) the answers alone, unwrapped, exactly as a script reads them.
   */
  readonly interactive: boolean;
  /** Line editing and history with the arrow keys (readline's terminal mode); default `interactive`. */
  readonly terminal?: boolean;
  /** Columns to wrap at, asked before each reply so a resized window counts; default the output's own. */
  readonly width?: () => number | undefined;
  /** Ends the chat as Ctrl+D does (main aborts it on SIGTERM at a terminal). */
  readonly stop?: AbortSignal;
  /** The question log (main's, from config); without it nothing is recorded. */
  readonly analytics?: Analytics;
  /** Milliseconds since the epoch, for the recorded time taken (tests inject one). */
  readonly now?: () => number;
  /** A line that failed (a command that threw): the chat says sorry and goes on; main logs this. */
  readonly onError?: (error: PlatformError) => void;
}

/** The one person at the console, in the one conversation the session is. */
const SENDER: Sender = { platform: 'console', user: 'local', conversation: 'console' };

/** What the chat remembers between lines: what a number picks, what + / - rates. */
interface LineState {
  readonly suggestions: readonly Suggestion[];
  /** The recorded answer just before, if the last line got one. */
  readonly eventId?: string;
}

const isVote = (line: string) => line.trim() === '+' || line.trim() === '-';

/**
 * Turns one console line into a turn: a number picks a suggestion, "+" / "-" right after an
 * answer rate it, anything else is the chat's text. Undefined for a vote with nothing to rate.
 */
export async function turnForLine(
  line: string,
  layer: ConversationLayer,
  last: LineState,
): Promise<Turn | undefined> {
  const text = line.trim();
  if (isVote(text)) {
    if (!last.eventId) return undefined;
    return layer.handleTurn({
      kind: 'feedback',
      ...SENDER,
      eventId: last.eventId,
      vote: text === '+' ? 1 : -1,
    });
  }
  const picked = /^\d{1,2}$/.test(text) ? last.suggestions[Number(text) - 1] : undefined;
  if (picked) return layer.handleTurn({ kind: 'choice', ...SENDER, entryId: picked.entryId });
  return layer.handleTurn({ kind: 'text', ...SENDER, text });
}

export function banner(service: QaService): string {
  const { headline, publisher } = service.article;
  const examples = service.examples(3).map((q) => `  - ${q.label}`);
  return [CONSOLE_TEXTS.banner(headline, publisher, quoteExample(service)), ...examples, ''].join('\n');
}

/** Runs until the input ends (or Ctrl+C); resolves then with the number of lines answered. One bad line never ends the chat. */
export function runConsoleChat(options: ConsoleChatOptions): Promise<number> {
  const { service, commands, input, output, interactive } = options;
  const terminal = options.terminal ?? interactive;
  const rl = terminal
    ? createInterface({
        input,
        output,
        terminal: true,
        prompt: CONSOLE_TEXTS.prompt,
        historySize: CONSOLE_DEFAULTS.historySize,
        removeHistoryDuplicates: true,
        crlfDelay: Number.POSITIVE_INFINITY,
      })
    : createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const columns = () =>
    options.width?.() || (output as Partial<NodeJS.WriteStream>).columns || CONSOLE_DEFAULTS.fallbackWidth;
  /** What a person reads is wrapped to their window; what a script reads is left as it was. */
  const show = (text: string) =>
    output.write(interactive ? `${wrapText(text, columns())}\n\n` : `${text}\n\n`);
  const prefix = interactive ? CONSOLE_TEXTS.replyPrefix : '';
  const render = (reply: Reply) =>
    renderPlain(reply, interactive ? { helpNote: CONSOLE_TEXTS.helpNote } : {});
  let last: LineState = { suggestions: [] };
  let answered = 0;
  let closed = false;
  // The whole session is one conversation: "what's his job" follows up the question before.
  const layer = new ConversationLayer(service, commands, {
    ...(options.analytics ? { analytics: options.analytics } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // Lines are answered in order, each after the one before (a follow-up needs its context).
  let queue: Promise<void> = Promise.resolve();
  const prompt = () => {
    if (closed) return;
    if (terminal) rl.prompt();
    else if (interactive) output.write(CONSOLE_TEXTS.prompt);
  };
  if (interactive) output.write(`${wrapText(banner(service), columns())}\n`);
  prompt();
  rl.on('line', (line) => {
    if (!line.trim()) {
      // Enter on an empty line: a terminal asks again, a pipe skips it.
      if (interactive) queue = queue.then(prompt);
      return;
    }
    // Keys typed while the answer is on its way wait for the next prompt instead of landing mid-reply.
    if (terminal) rl.pause();
    queue = queue.then(async () => {
      try {
        const turn = await turnForLine(line, layer, last);
        answered++;
        if (!turn) {
          show(`${prefix}${CONSOLE_TEXTS.nothingToRate}`);
        } else {
          // After a vote, the answer's suggestions and event stay what a number or +/- acts on.
          if (!isVote(line))
            last = {
              suggestions: turn.reply.suggestions,
              ...(turn.eventId ? { eventId: turn.eventId } : {}),
            };
          show(`${prefix}${render(turn.reply)}`);
        }
      } catch (error) {
        // One bad line (a failing command) never ends the chat or the lines after it.
        options.onError?.(new PlatformError({ platform: 'console', method: 'answer line', cause: error }));
        show(`${prefix}${CONSOLE_TEXTS.failure}`);
      }
      prompt();
    });
  });
  // Ctrl+C in a terminal ends the chat as Ctrl+D does (readline has taken the key, so no signal comes).
  rl.on('SIGINT', () => rl.close());
  if (options.stop?.aborted) rl.close();
  else options.stop?.addEventListener('abort', () => rl.close(), { once: true });
  return new Promise((resolve) => {
    rl.on('close', () => {
      closed = true;
      void queue.then(() => {
        if (interactive) output.write(`\n${CONSOLE_TEXTS.goodbye}\n`);
        resolve(answered);
      });
    });
  });
}
