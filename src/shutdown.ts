import type { RunningPlatform } from './adapters/platform.ts';

/** A platform that had not finished stopping at the deadline, or that stopped by giving up on work. */
export interface StopLeftover {
  readonly platform: string;
  readonly stopped: boolean;
  /** Given up on, as the platform reported it after its stop(). */
  readonly abandoned?: number;
  /** Still being answered at the deadline, for a platform that had not stopped (when it can tell). */
  readonly inFlight?: number;
}

export interface StopOutcome {
  readonly elapsedMs: number;
  readonly leftovers: readonly StopLeftover[];
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
  const settled = new Map<RunningPlatform, StopLeftover | undefined>();
  const stops = platforms.map(async (platform) => {
    try {
      await platform.stop(reason, platformBudgetMs(budgetMs));
    } catch {
      // A platform that fails to stop cleanly is stopped as far as we are concerned: exit anyway.
    }
    const abandoned = platform.abandoned?.() ?? 0;
    settled.set(platform, abandoned > 0 ? { platform: platform.name, stopped: true, abandoned } : undefined);
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(stops),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    }),
  ]);
  clearTimeout(timer);
  const leftovers = platforms.flatMap((platform): StopLeftover[] => {
    if (settled.has(platform)) {
      const leftover = settled.get(platform);
      return leftover ? [leftover] : [];
    }
    const inFlight = platform.inFlight?.();
    return [{ platform: platform.name, stopped: false, ...(inFlight === undefined ? {} : { inFlight }) }];
  });
  return { elapsedMs: now() - started, leftovers };
}
