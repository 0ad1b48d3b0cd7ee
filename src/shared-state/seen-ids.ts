import type { Redis } from 'ioredis';
import { attempt } from './errors.ts';

/**
 * Which update ids were already taken, so an update delivered twice (Telegram redelivers one it
 * thinks went unanswered, possibly to another process behind the same webhook) is answered once.
 */
export interface SeenIds {
  /** True the first time an id is offered (by any process sharing the store), false afterwards. */
  firstTime(id: string): Promise<boolean>;
}

export interface RedisSeenIdsOptions {
  readonly keyPrefix: string;
  /** How long an id is remembered: longer than Telegram keeps an unconfirmed update (24 hours). */
  readonly ttlMs: number;
}

/**
 * Ids remembered in Redis with `SET key 1 NX PX ttl`: the set succeeds for exactly one caller,
 * whichever process it runs in, and Redis forgets the id by itself after `ttlMs`. An outage rejects
 * with a SharedStateError; the caller chooses between answering (maybe twice) and not answering.
 */
export class RedisSeenIds implements SeenIds {
  constructor(
    private readonly client: Redis,
    private readonly options: RedisSeenIdsOptions,
  ) {
    if (!(Number.isInteger(options.ttlMs) && options.ttlMs > 0))
      throw new RangeError('ttlMs must be a positive whole number of milliseconds');
  }

  async firstTime(id: string): Promise<boolean> {
    const reply = await attempt(this.client, 'seen-id set', () =>
      this.client.set(`${this.options.keyPrefix}${id}`, '1', 'PX', this.options.ttlMs, 'NX'),
    );
    return reply === 'OK';
  }
}
