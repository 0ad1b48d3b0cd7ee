import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPlatform } from '../../src/adapters/platform.ts';
import { platformBudgetMs, stopWithin } from '../../src/shutdown.ts';
import { DiscordFake } from '../fakes/discord-fake.ts';
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

/**
 * Warnings or errors, once the stop began, that put unfinished work on `platform`: main's own
 * report (its leftovers), or the platform's, which honours its share of the budget and says itself
 * what it dropped.
 */
const unfinishedReports = (stderr: string, platform: string): LogLine[] => {
  const lines = logLines(stderr);
  const stopBegan = lines.findIndex((line) => line.msg.startsWith('stopping:'));
  return lines
    .slice(stopBegan === -1 ? lines.length : stopBegan)
    .filter(
      (line) =>
        line.level >= 40 &&
        (line.platform === platform ||
          (Array.isArray(line.leftovers) &&
            line.leftovers.some((left: { platform?: string }) => left.platform === platform))),
    );
};

let fake: FakeBotApi;
let discord: DiscordFake;
beforeAll(async () => {
  fake = await FakeBotApi.start();
  discord = await DiscordFake.start();
});
afterAll(async () => {
  await fake.close();
  await discord.close();
});

/** Starts the bot on Telegram (and Discord too when asked), then leaves one Telegram reply stuck for 20 s. */
async function startWithStuckReply(budgetMs: number, withDiscord: boolean) {
  const polls = fake.callsTo('getUpdates').length;
  const replies = fake.callsTo('sendMessage').length;
  const main = startMain({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.url,
    ...(withDiscord
      ? {
          DISCORD_TOKEN: 'AAAAAAAAAAAAAAAAAAAAAAAA.BBBBBB.CCCCCCCCCCCCCCCCCCCCCCCCCCC',
          DISCORD_APPLICATION_ID: discord.applicationId,
          DISCORD_API_ROOT: discord.apiRoot,
        }
      : {}),
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: String(budgetMs),
  });
  await fake.waitForCount('getUpdates', polls + 1, 15_000);
  if (withDiscord) await discord.waitForGateway('identify', 15_000);
  fake.slowNext('sendMessage', 20_000);
  fake.push(textMessage('how many years in prison'));
  await fake.waitForCount('sendMessage', replies + 1, 10_000);
  return main;
}

describe('npm start: SIGTERM with a reply stuck at Telegram', () => {
  it('exits 0 within SHUTDOWN_TIMEOUT_MS and logs that Telegram still had work in flight', async () => {
    const budgetMs = 1_500;
    const main = await startWithStuckReply(budgetMs, false);
    try {
      const signalled = performance.now();
      main.child.kill('SIGTERM');
      const code = await main.exited;
      const tookMs = performance.now() - signalled;

      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(budgetMs + 700);
      expect(unfinishedReports(main.stderr(), 'telegram').length).toBeGreaterThan(0);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 30_000);

  it('with Discord running too, the one budget covers both: Discord stops, only Telegram is reported', async () => {
    const budgetMs = 2_000;
    const main = await startWithStuckReply(budgetMs, true);
    try {
      const signalled = performance.now();
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(performance.now() - signalled).toBeLessThan(budgetMs + 700);
      expect(unfinishedReports(main.stderr(), 'telegram').length).toBeGreaterThan(0);
      expect(unfinishedReports(main.stderr(), 'discord')).toEqual([]);
      expect(main.stderr()).toMatch(/"msg":"discord: stopped"/);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 40_000);
});

describe('stopWithin', () => {
  const platform = (name: string, stop: RunningPlatform['stop'], inFlight?: number): RunningPlatform => ({
    name,
    stop,
    ...(inFlight === undefined ? {} : { inFlight: () => inFlight }),
  });

  it('resolves at the budget, reporting the platforms still stopping and what platforms gave up', async () => {
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
      { ...platform('gave-up', async () => {}), abandoned: () => 2 },
    ];
    const started = performance.now();
    const outcome = await stopWithin(platforms, 'SIGTERM', 300);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(600);
    expect(outcome.leftovers).toEqual([
      { platform: 'stuck', stopped: false, inFlight: 3 },
      { platform: 'gave-up', stopped: true, abandoned: 2 },
    ]);
    expect(budgets).toEqual([platformBudgetMs(300)]);
  });

  it('resolves as soon as every platform has stopped', async () => {
    const started = performance.now();
    const outcome = await stopWithin([platform('a', async () => {})], 'SIGTERM', 5_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(outcome.leftovers).toEqual([]);
  });

  it('keeps a margin for itself: platforms get less than the whole budget', () => {
    expect(platformBudgetMs(8_000)).toBe(7_000);
    expect(platformBudgetMs(1_500)).toBe(1_200);
    expect(platformBudgetMs(100)).toBe(50);
  });
});
