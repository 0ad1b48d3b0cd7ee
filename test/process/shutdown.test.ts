import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../src/adapters/platform.ts';
import { platformBudgetMs, stopWithin } from '../../src/shutdown.ts';
import { FakeBotApi, textMessage } from '../fakes/telegram-bot-api.ts';
import { startMain } from '../helpers/main-process.ts';

/**
 * The stop budget (SHUTDOWN_TIMEOUT_MS): SIGTERM ends the process within it even when a reply is
 * stuck, and what was still in flight is logged.
 */

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}
const logLines = (stderr: string): LogLine[] =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

let fake: FakeBotApi;
beforeAll(async () => {
  fake = await FakeBotApi.start();
});
afterAll(async () => {
  await fake.close();
});

describe('npm start: SIGTERM with a reply stuck at Telegram', () => {
  it('exits 0 within SHUTDOWN_TIMEOUT_MS and logs that Telegram still had work in flight', async () => {
    const budgetMs = 1_500;
    const main = startMain({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: String(budgetMs),
    });
    try {
      await fake.waitFor('getUpdates', () => true, 15_000);
      // Telegram takes 20 s to answer this reply: far beyond the budget.
      fake.slowNext('sendMessage', 20_000);
      fake.push(textMessage('how many years in prison'));
      await fake.waitFor('sendMessage', () => true, 10_000);

      const signalled = performance.now();
      main.child.kill('SIGTERM');
      const code = await main.exited;
      const tookMs = performance.now() - signalled;

      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(budgetMs + 700);
      const reports = logLines(main.stderr()).filter(
        (line) =>
          line.level >= 40 && /in flight/i.test(line.msg) && JSON.stringify(line).includes('telegram'),
      );
      expect(reports.length).toBeGreaterThan(0);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('stopWithin', () => {
  const platform = (name: string, stop: RunningPlatform['stop'], inFlight?: number): RunningPlatform => ({
    name,
    stop,
    ...(inFlight === undefined ? {} : { inFlight: () => inFlight }),
  });

  it('resolves at the budget with the platforms that had not stopped and what they still held', async () => {
    const budgets: (number | undefined)[] = [];
    const never = new Promise<void>(() => {});
    const platforms = [
      platform('quick', async (_reason, budgetMs) => {
        budgets.push(budgetMs);
      }),
      platform('stuck', () => never, 3),
      platform('failing', async () => {
        throw new Error('cannot close');
      }),
    ];
    const started = performance.now();
    const outcome = await stopWithin(platforms, 'SIGTERM', 300);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(600);
    expect(outcome.unfinished).toEqual([{ platform: 'stuck', inFlight: 3 }]);
    expect(budgets).toEqual([platformBudgetMs(300)]);
  });

  it('resolves as soon as every platform has stopped', async () => {
    const started = performance.now();
    const outcome = await stopWithin([platform('a', async () => {})], 'SIGTERM', 5_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(outcome.unfinished).toEqual([]);
  });

  it('keeps a margin for itself: platforms get less than the whole budget', () => {
    expect(platformBudgetMs(8_000)).toBe(7_000);
    expect(platformBudgetMs(1_500)).toBe(1_200);
    expect(platformBudgetMs(100)).toBe(50);
  });
});
