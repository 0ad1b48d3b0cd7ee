import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { runConsoleChat } from '../../src/adapters/console/chat.ts';
import { CONSOLE_TEXTS } from '../../src/adapters/console/texts.ts';
import type { PlatformError } from '../../src/adapters/platform-error.ts';
import { type Analytics, openAnalytics } from '../../src/analytics/index.ts';
import { LAYER_TEXTS } from '../../src/conversation/texts.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { memoryLogger, useBackend, useCleanup } from '../analytics/helpers.ts';
import { failingCommand } from '../helpers/commands.ts';

const service = createQaService(loadKnowledge());

async function session(
  lines: readonly string[],
  list = commands,
  analytics?: Analytics,
  onError?: (error: PlatformError) => void,
): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = runConsoleChat({
    service,
    commands: list,
    input,
    output,
    interactive: false,
    ...(analytics ? { analytics } : {}),
    ...(onError ? { onError } : {}),
  });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}

describe('the console chat is one conversation', () => {
  it('answers a follow-up in the context of the question before', async () => {
    const text = await session(['who is kirby', 'source?']);
    const kirby = text.indexOf('John Kirby is');
    expect(kirby).toBeGreaterThanOrEqual(0);
    // "source?" shows the quotes of the answer before, with the publisher.
    expect(text.indexOf(service.article.publisher, kirby)).toBeGreaterThan(kirby);
  });

  it('keeps what a follow-up refers to across lines', async () => {
    const text = await session(['who is kirby', 'what did he say about biden']);
    expect(text.indexOf('seriousness about negotiations')).toBeGreaterThan(text.indexOf('John Kirby is'));
  });

  it('a failing line gets an apology and is reported as a console PlatformError; the lines after it are still answered', async () => {
    const reported: PlatformError[] = [];
    const text = await session(
      ['/boom', 'how many years in prison'],
      [...commands, failingCommand],
      undefined,
      (error) => reported.push(error),
    );
    expect(text).toContain(CONSOLE_TEXTS.failure);
    expect(text).toMatch(/15 years in prison/);
    expect(reported.map((error) => error.describe())).toEqual([
      expect.objectContaining({
        platform: 'console',
        method: 'answer line',
        causedBy: expect.objectContaining({ message: 'kaboom' }),
      }),
    ]);
  });
});

describe('the console records its questions, and + / - rate the answer just before', () => {
  const backend = useBackend('sqlite');
  const cleanup = useCleanup();

  async function open(): Promise<Analytics> {
    const analytics = await openAnalytics(await backend.config(), {
      logger: memoryLogger().logger,
      retention: false,
    });
    cleanup(() => analytics.close());
    return analytics;
  }

  it('records each question, and - then + leaves one vote of +1 on the last answer', async () => {
    const analytics = await open();
    const text = await session(['who is kirby', 'who is zelensky', '-', '+'], commands, analytics);
    expect(text).toContain(LAYER_TEXTS.feedbackThanks(-1));
    expect(text).toContain(LAYER_TEXTS.feedbackThanks(1));
    await analytics.flush();
    const events = (await analytics.store?.events()) ?? [];
    expect(events.map((e) => [e.platform, e.question]).sort()).toEqual([
      ['console', 'who is kirby'],
      ['console', 'who is zelensky'],
    ]);
    const zelensky = events.find((e) => e.question === 'who is zelensky');
    expect((await analytics.store?.votes())?.map((v) => [v.eventId, v.vote])).toEqual([[zelensky?.id, 1]]);
  });

  it('+ with no answer just before says how to rate, and is not a question', async () => {
    const analytics = await open();
    const text = await session(
      ['+', '/topics', '-', 'what is the capital of peru', '+'],
      commands,
      analytics,
    );
    // Three times: at the start, after /topics, and after a decline.
    expect(text.split(CONSOLE_TEXTS.nothingToRate)).toHaveLength(4);
    await analytics.flush();
    expect(await analytics.store?.votes()).toEqual([]);
    expect((await analytics.store?.events())?.some((e) => e.question === '+')).toBe(false);
  });
});
