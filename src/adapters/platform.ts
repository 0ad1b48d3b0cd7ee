import type { Command } from '../../commands/types.ts';
import type { ConversationLayer } from '../conversation/layer.ts';
import type { RateLimiter } from '../conversation/rate-limit.ts';
import type { QaService } from '../core/service.ts';
import type { Logger } from '../logger.ts';
import type { SeenIds } from '../shared-state/seen-ids.ts';
import type { PlatformError } from './platform-error.ts';

/** What every adapter receives: the core, the command list and a logger. No globals. */
export interface PlatformDeps {
  readonly service: QaService;
  readonly commands: readonly Command[];
  readonly logger: Logger;
  /** Questions a single user may ask per minute before getting a friendly "slow down". */
  readonly rateLimitPerMinute: number;
  /**
   * The conversation layer every platform of the process shares (context, command text); an
   * adapter started without one (tests) builds its own.
   */
  readonly layer?: ConversationLayer;
  /** The one per-user rate limit of every platform (shared across processes with REDIS_URL). */
  readonly limiter?: RateLimiter;
  /** Update ids already answered (Telegram webhook), shared across processes with REDIS_URL. */
  readonly seenIds?: SeenIds;
}

/** A started platform; stop() finishes in-flight replies, then releases every resource. */
export interface RunningPlatform {
  readonly name: string;
  /**
   * Stops taking new updates, lets in-flight replies finish, releases every resource. `budgetMs`
   * (set by SHUTDOWN_TIMEOUT_MS, less a margin) is how long the process waits: give up on what is
   * still in flight by then, and resolve. After the budget main exits regardless.
   */
  stop(reason: string, budgetMs?: number): Promise<void>;
  /** Once stop() has resolved: updates or interactions it gave up on, so main reports every platform alike. */
  abandoned?(): number;
  /** Updates or interactions being answered right now; main logs it for a platform that overruns its stop. */
  inFlight?(): number;
  /** Settles if the platform stops serving on its own (e.g. polling ended by a revoked token). */
  readonly crashed?: Promise<PlatformError>;
}
