import type { Logger } from '../logger.ts';
import { describeError } from './database.ts';
import { ANALYTICS_DEFAULTS } from './defaults.ts';
import { realScheduler, type Scheduler } from './scheduler.ts';

const DAY_MS = 24 * 60 * 60 * 1_000;

export interface RetentionOptions {
  readonly days: number;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly scheduler?: Scheduler;
  readonly intervalMs?: number;
}

/**
 * Purges events older than the retention period: once at start, then every day. A purge that
 * fails is logged and tried again at the next run.
 */
export class RetentionSchedule {
  private timer: unknown;
  private running: Promise<number | undefined> | undefined;
  private readonly now: () => number;
  private readonly scheduler: Scheduler;
  private readonly intervalMs: number;

  constructor(
    private readonly purgeBefore: (atMs: number) => Promise<number>,
    private readonly options: RetentionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.scheduler = options.scheduler ?? realScheduler;
    this.intervalMs = options.intervalMs ?? ANALYTICS_DEFAULTS.retentionIntervalMs;
  }

  /** The cut-off now: events before it are purged. */
  cutoff(): number {
    return this.now() - this.options.days * DAY_MS;
  }

  start(): void {
    if (this.timer !== undefined) return;
    void this.runOnce();
    this.arm();
  }

  /** One purge; resolves with the count, or undefined when it failed (logged). Never rejects. */
  runOnce(): Promise<number | undefined> {
    this.running ??= this.purge().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(): void {
    this.timer = this.scheduler.setTimeout(() => {
      void this.runOnce();
      this.arm();
    }, this.intervalMs);
  }

  private async purge(): Promise<number | undefined> {
    const cutoff = this.cutoff();
    try {
      const purged = await this.purgeBefore(cutoff);
      if (purged) {
        this.options.logger.info(
          { purged, olderThanDays: this.options.days },
          'analytics: old events purged',
        );
      }
      return purged;
    } catch (error) {
      this.options.logger.error({ error: describeError(error) }, 'analytics: retention purge failed');
      return undefined;
    }
  }
}
