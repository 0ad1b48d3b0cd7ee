import type { RunningPlatform } from './adapters/platform.ts';

export interface StopOutcome {
  readonly elapsedMs: number;
  /** Platforms whose stop() had not settled when the budget ran out, with what they still had. */
  readonly unfinished: readonly { readonly platform: string; readonly inFlight?: number }[];
}

/**
 * The share of the budget kept back from the platforms, so that a platform that honours its budget
 * is done before the deadline and this stays a backstop, not a race (8 s gives the platforms 7 s).
 */
export function platformBudgetMs(budgetMs: number): number {
  return budgetMs - Math.min(1_000, Math.max(50, Math.round(budgetMs / 5)));
}

/**
 * Stops every platform at once and resolves when all have stopped or `budgetMs` has passed,
 * whichever comes first; never rejects. Platforms are given a slightly smaller budget
 * (platformBudgetMs); one that overruns is reported, not waited for.
 */
export async function stopWithin(
  platforms: readonly RunningPlatform[],
  reason: string,
  budgetMs: number,
  now: () => number = Date.now,
): Promise<StopOutcome> {
  const started = now();
  const pending = new Set(platforms);
  const stops = platforms.map(async (platform) => {
    try {
      await platform.stop(reason, platformBudgetMs(budgetMs));
    } catch {
      // A platform that fails to stop cleanly is stopped as far as we are concerned: exit anyway.
    }
    pending.delete(platform);
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(stops),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    }),
  ]);
  clearTimeout(timer);
  return {
    elapsedMs: now() - started,
    unfinished: [...pending].map((platform) => {
      const inFlight = platform.inFlight?.();
      return { platform: platform.name, ...(inFlight === undefined ? {} : { inFlight }) };
    }),
  };
}
