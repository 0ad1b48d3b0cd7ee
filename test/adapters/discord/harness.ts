import { Writable } from 'node:stream';
import { commands as allCommands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import { type DiscordAdapterOptions, startDiscord } from '../../../src/adapters/discord/index.ts';
import type { RunningPlatform } from '../../../src/adapters/platform.ts';
import type { DiscordConfig } from '../../../src/config.ts';
import type { ConversationLayer } from '../../../src/conversation/layer.ts';
import type { RateLimiter } from '../../../src/conversation/rate-limit.ts';
import { loadKnowledge } from '../../../src/core/knowledge.ts';
import { createQaService, type QaService } from '../../../src/core/service.ts';
import { createLogger } from '../../../src/logger.ts';
import { DiscordFake, type DiscordFakeOptions } from '../../fakes/discord-fake.ts';

/** Not a real token; the fake accepts any `Bot ...` authorization. */
export const FAKE_TOKEN = 'fake-discord-token-for-tests';

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** A pino logger writing JSON lines into memory, so tests can assert what was logged. */
export function memoryLogger(level = 'debug') {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

let sharedService: QaService | undefined;
/** The real core over the real knowledge base, built once per test file (it is read-only). */
export function realService(): QaService {
  sharedService ??= createQaService(loadKnowledge());
  return sharedService;
}

export interface HarnessOptions extends DiscordAdapterOptions {
  readonly rateLimitPerMinute?: number;
  /** The shared limiter main would pass (e.g. a slow one, standing in for Redis). */
  readonly limiter?: RateLimiter;
  readonly config?: Partial<DiscordConfig>;
  readonly commands?: readonly Command[];
  readonly service?: QaService;
  readonly fake?: DiscordFakeOptions;
  /** The conversation layer main would pass (e.g. recording into a question log). */
  readonly layer?: ConversationLayer;
  /** Called with the fake before the bot logs in (e.g. to pre-register commands). */
  readonly beforeStart?: (fake: DiscordFake) => void | Promise<void>;
}

export interface Harness {
  readonly fake: DiscordFake;
  readonly platform: RunningPlatform;
  readonly logs: LogLine[];
  readonly service: QaService;
  close(): Promise<void>;
}

/** A real discord.js Client, driven by startDiscord, connected to a fresh fake on 127.0.0.1. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await DiscordFake.start(options.fake);
  await options.beforeStart?.(fake);
  const { logger, lines } = memoryLogger();
  const service = options.service ?? realService();
  try {
    const platform = await startDiscord(
      {
        token: FAKE_TOKEN,
        applicationId: fake.applicationId,
        apiRoot: fake.apiRoot,
        syncCommands: false,
        ...options.config,
      },
      {
        service,
        commands: options.commands ?? allCommands,
        logger,
        rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000,
        ...(options.limiter ? { limiter: options.limiter } : {}),
        ...(options.layer ? { layer: options.layer } : {}),
      },
      { stopTimeoutMs: 1_000, ...options },
    );
    return {
      fake,
      platform,
      logs: lines,
      service,
      async close() {
        await platform.stop('test finished');
        await fake.close();
      },
    };
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/** The JSON body of a request, typed loosely for assertions. */
export function bodyOf(request: { body: unknown }): CallbackBody {
  return request.body as CallbackBody;
}

export interface WireEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  footer?: { text: string };
}

export interface WireButton {
  type: number;
  style: number;
  label: string;
  custom_id: string;
  disabled?: boolean;
}

export interface WireMessage {
  content?: string;
  embeds?: WireEmbed[];
  components?: { type: number; components: WireButton[] }[];
  allowed_mentions?: { parse: string[]; replied_user?: boolean };
  flags?: number;
  message_reference?: { message_id: string };
}

/** An interaction callback (`{ type, data }`) or, for message routes, the message itself. */
export interface CallbackBody extends WireMessage {
  type: number;
  data: WireMessage & { choices?: { name: string; value: string }[] };
}

/**
 * Resolves once the fake has received no request for `quietMs` (the bot has finished reacting),
 * or rejects after `timeoutMs`. Used where the assertion is that something did NOT happen.
 */
export async function quiet(h: Harness, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  for (;;) {
    const count = h.fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (h.fake.requests.length === count) return;
    if (performance.now() - started > timeoutMs) throw new Error('the bot kept sending requests');
  }
}

/**
 * Collects unhandled rejections while a test runs, so the test that caused one fails by name
 * (vitest alone reports them after the run, attributed to no test). Call `stop()` in afterEach.
 */
export function collectUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}

/** The article's source as the adapter renders it (publisher and headline from the knowledge base). */
export function sourceOf(h: Harness): { publisher: string; headline: string } {
  return { publisher: h.service.article.publisher, headline: h.service.article.headline };
}
