import { Writable } from 'node:stream';
import { commands as realCommands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import type { RunningTelegram, TelegramTuningOverrides } from '../../../src/adapters/telegram/index.ts';
import { startTelegram } from '../../../src/adapters/telegram/index.ts';
import type { TelegramConfig } from '../../../src/config.ts';
import type { ConversationLayer } from '../../../src/conversation/layer.ts';
import type { RateLimiter } from '../../../src/conversation/rate-limit.ts';
import { loadKnowledge } from '../../../src/core/knowledge.ts';
import type { QuestionReply } from '../../../src/core/reply.ts';
import { createQaService, type QaService } from '../../../src/core/service.ts';
import { createLogger } from '../../../src/logger.ts';
import type { SeenIds } from '../../../src/shared-state/seen-ids.ts';
import { FakeBotApi, type FakeBotApiOptions } from '../../fakes/telegram-bot-api.ts';

/** One real core for every test: building it is the slow part. */
export const knowledge = loadKnowledge();
export const realService = createQaService(knowledge);

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface Harness {
  readonly fake: FakeBotApi;
  readonly bot: RunningTelegram;
  readonly logs: LogLine[];
  readonly service: QaService;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly service?: QaService;
  readonly commands?: readonly Command[];
  readonly rateLimitPerMinute?: number;
  readonly webhook?: TelegramConfig['webhook'];
  readonly tuning?: TelegramTuningOverrides;
  readonly token?: string;
  /** The conversation layer main would pass (e.g. with an injected clock); the adapter builds one otherwise. */
  readonly layer?: ConversationLayer;
  /** The shared rate limit and seen update ids main would pass (e.g. over Redis, for two processes). */
  readonly limiter?: RateLimiter;
  readonly seenIds?: SeenIds;
  /** getMe's answer (username, inline and privacy settings), for a fake started here. */
  readonly botUser?: FakeBotApiOptions['botUser'];
  /** A fake already running (a restart against the same Telegram); close() then leaves it running. */
  readonly fake?: FakeBotApi;
  /** Runs once the fake is up, before the bot starts (to queue failures for start-up calls). */
  readonly beforeStart?: (fake: FakeBotApi) => void;
}

/** Starts the fake and the real adapter against it; close() stops the bot first, then the fake. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownsFake = options.fake === undefined;
  const fake = options.fake ?? (await FakeBotApi.start(options.botUser ? { botUser: options.botUser } : {}));
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const service = options.service ?? realService;
  options.beforeStart?.(fake);
  try {
    const bot = await startTelegram(
      {
        token: options.token ?? fake.token,
        apiRoot: fake.url,
        ...(options.webhook ? { webhook: options.webhook } : {}),
      },
      {
        service,
        commands: options.commands ?? realCommands,
        logger: createLogger('debug', sink),
        rateLimitPerMinute: options.rateLimitPerMinute ?? 1000,
        ...(options.layer ? { layer: options.layer } : {}),
        ...(options.limiter ? { limiter: options.limiter } : {}),
        ...(options.seenIds ? { seenIds: options.seenIds } : {}),
      },
      // Short back-off keeps retry tests fast; 429's retry_after is still honoured as sent.
      { webhookHost: '127.0.0.1', retry: { baseDelayMs: 20, maxDelayMs: 100 }, ...options.tuning },
    );
    return {
      fake,
      bot,
      logs,
      service,
      async close() {
        await bot.stop('test finished');
        if (ownsFake) await fake.close();
      },
    };
  } catch (error) {
    if (ownsFake) await fake.close();
    throw error;
  }
}

/**
 * A stand-in core that echoes the question into every field, the worst case for escaping:
 * the real core never echoes user text, so it cannot show that the adapter escapes it.
 */
export function echoService(): QaService {
  const reply = (question: string): QuestionReply => {
    if (question.startsWith('clarify')) {
      return {
        kind: 'clarify',
        text: 'Did you mean:',
        suggestions: [
          { label: 'Who is <John> Kirby?', entryId: 'who-is-kirby' },
          { label: 'What did Putin say?', entryId: 'putin-said' },
        ],
        confidence: 0.5,
      };
    }
    return {
      kind: 'answer',
      entryId: 'echo',
      matchedQuestion: `Q: ${question}`,
      text: `You asked: ${question}`,
      quotes: [{ text: `"${question}" & more`, speaker: '<Speaker & Co>' }],
      parts: [],
      confidence: 1,
      suggestions: [{ label: `More about ${question.slice(0, 20)}`, entryId: 'more-about' }],
    };
  };
  return {
    article: realService.article,
    knowledge: realService.knowledge,
    ask: reply,
    askInContext: (q) => ({ reply: reply(q), question: q, followUp: false }),
    // Echoes the chosen id, so a test sees exactly which entry a button named.
    answerEntry: (id) => ({ ...reply(id), text: `You chose: ${id}` }),
    readings: (q, previous) => realService.readings(q, previous),
    complete: () => [],
    inspect: (q) => realService.inspect(q),
    tokens: (t) => realService.tokens(t),
    topics: () => realService.topics(),
    speakers: () => realService.speakers(),
    quoteTopics: () => realService.quoteTopics(),
    findQuotes: (filter) => realService.findQuotes(filter),
    examples: (count) => realService.examples(count),
  };
}

/**
 * Checks that a message is well-formed Telegram HTML as this adapter writes it: only the tags
 * b, i, blockquote and a (with an https href), properly nested and closed, and "&" only in the
 * entities we emit.
 * Returns the problems found (empty when valid).
 */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  for (const token of html.matchAll(/<[^>]*>|&[^;\s]*;?|[<>]/g)) {
    const t = token[0];
    if (t.startsWith('&')) {
      if (!/^&(amp|lt|gt|quot);$/.test(t)) problems.push(`bad entity ${JSON.stringify(t)}`);
      continue;
    }
    const tag =
      /^<(\/?)(b|i|blockquote)>$/.exec(t) ??
      /^<()(a) href="https:\/\/[^"<>]+">$/.exec(t) ??
      /^<(\/)(a)>$/.exec(t);
    if (!tag) {
      problems.push(`unexpected markup ${JSON.stringify(t)}`);
      continue;
    }
    if (tag[1]) {
      if (stack.pop() !== tag[2]) problems.push(`unbalanced </${tag[2]}>`);
    } else stack.push(tag[2] ?? '');
  }
  if (stack.length) problems.push(`unclosed <${stack.join('>, <')}>`);
  return problems;
}

/** The text a reader sees: tags removed, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
