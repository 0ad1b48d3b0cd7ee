import type { Redis } from 'ioredis';
import type { ContextBackend } from '../conversation/context-store.ts';
import { attempt } from './errors.ts';

export interface RedisContextStoreOptions<T> {
  /** Prepended to every key, so several bots (or test runs) can share one Redis. */
  readonly keyPrefix: string;
  /** Idle time after which Redis drops a context by itself (`SET ... PX`), restarted by every set. */
  readonly ttlMs: number;
  /**
   * Checks a stored value before it is used; `undefined` treats it as absent. Values written by
   * another version of the bot may not have today's shape, and a context is only a convenience.
   */
  readonly decode?: (value: unknown) => T | undefined;
}

/**
 * Conversation context in Redis, shared by every process of the bot: a follow-up may reach a
 * different process than the question before it. Values are JSON. A missing, expired or unreadable
 * key reads as `undefined`; Redis being unreachable rejects with a SharedStateError (within the
 * client's command timeout) and the caller decides what to do.
 */
export class RedisContextStore<T> implements ContextBackend<T> {
  private readonly decode: (value: unknown) => T | undefined;

  constructor(
    private readonly client: Redis,
    private readonly options: RedisContextStoreOptions<T>,
  ) {
    if (!(Number.isInteger(options.ttlMs) && options.ttlMs > 0))
      throw new RangeError('ttlMs must be a positive whole number of milliseconds');
    // Without a decoder the value is trusted to be what this class stored.
    this.decode = options.decode ?? ((value) => value as T);
  }

  async get(key: string): Promise<T | undefined> {
    const raw = await attempt(this.client, 'context get', () => this.client.get(this.key(key)));
    if (raw === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
    return this.decode(value);
  }

  async set(key: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('a context must be representable as JSON');
    await attempt(this.client, 'context set', () =>
      this.client.set(this.key(key), json, 'PX', this.options.ttlMs),
    );
  }

  async delete(key: string): Promise<void> {
    await attempt(this.client, 'context delete', () => this.client.del(this.key(key)));
  }

  private key(key: string): string {
    return `${this.options.keyPrefix}${key}`;
  }
}
