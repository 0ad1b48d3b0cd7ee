import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * What a user's next message may do. A refused user is told once per window (`firstRefusal`), so
 * a flood gets one "slow down" note rather than one per message.
 */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterMs: number; readonly firstRefusal: boolean };

export interface RateLimiterOptions {
  /** Messages a user may send per window (RATE_LIMIT_PER_MINUTE with a 60 s window). */
  readonly points: number;
  /** Window length; a whole number of seconds, since the stores count in seconds. */
  readonly windowMs: number;
  /** Keys are `<keyPrefix>:<userKey>`; separates bots (or test runs) sharing one Redis. */
  readonly keyPrefix?: string;
  /**
   * Count in Redis, so one user's messages count across every process of the bot. Without it,
   * counts stay in this process.
   */
  readonly redis?: Redis;
}

/**
 * One per-user rate limit for every platform: a fixed window of `points` messages that starts
 * with the user's first message. In memory, each user's count is dropped when their window ends,
 * so memory follows the users active in the last window. In Redis, the count is one atomic
 * increment (a Lua script), so exactly one message in a window — whichever process takes it — is
 * the first refusal.
 *
 * If Redis fails, rate-limiter-flexible's insurance limiter counts in this process instead: the
 * bot keeps answering, each process limiting on its own, rather than refusing or hanging. While
 * the client is known to be disconnected the insurance answers at once; a call that Redis does not
 * answer falls back after the client's command timeout. So `take` does not reject.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterMemory | RateLimiterRedis;
  private readonly memory: RateLimiterMemory | undefined;

  constructor(private readonly options: RateLimiterOptions) {
    if (!(Number.isInteger(options.points) && options.points >= 1))
      throw new RangeError('points must be a whole number of at least 1');
    if (!(Number.isInteger(options.windowMs / 1000) && options.windowMs >= 1000))
      throw new RangeError('windowMs must be a whole number of seconds, at least 1000');
    const common = {
      points: options.points,
      duration: options.windowMs / 1000,
      keyPrefix: options.keyPrefix ?? 'rate',
    };
    const memory = new RateLimiterMemory(common);
    if (options.redis) {
      this.limiter = new RateLimiterRedis({
        ...common,
        storeClient: options.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    } else {
      this.limiter = memory;
    }
    this.memory = options.redis ? undefined : memory;
  }

  async take(userKey: string): Promise<RateDecision> {
    try {
      await this.limiter.consume(userKey);
      return { allowed: true };
    } catch (refusal) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the points are used up; anything
      // else is a bug (the insurance limiter absorbs store failures).
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return {
        allowed: false,
        retryAfterMs: Math.max(0, refusal.msBeforeNext),
        // Counts keep rising past the limit, so exactly one refusal sees points + 1.
        firstRefusal: refusal.consumedPoints === this.options.points + 1,
      };
    }
  }

  /** Users counted in this process (memory mode only; Redis expires its own keys). */
  get trackedInMemory(): number {
    return this.memory?.dump().storage.length ?? 0;
  }
}
