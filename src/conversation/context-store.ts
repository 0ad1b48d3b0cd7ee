/**
 * Where conversation context lives: in this process (MemoryContextStore), or in Redis so several
 * processes behave as one bot. Asynchronous because a shared store is across the network.
 */
export interface ContextBackend<T> {
  get(key: string): Promise<T | undefined>;
  /** Stores the value and restarts its time to live. */
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A bounded, expiring map: each conversation's context lives until it has been idle for `ttlMs`,
 * and at most `maxEntries` are kept (the least recently used is dropped first), so memory stays
 * flat whatever the traffic. Time comes from an injected clock, so tests never sleep.
 */
export class ContextStore<T> implements ContextBackend<T> {
  private readonly items = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly options: {
      readonly ttlMs: number;
      readonly maxEntries: number;
      readonly now: () => number;
    },
  ) {}

  async get(key: string): Promise<T | undefined> {
    return this.peek(key);
  }

  /** The value, synchronously (the in-process store needs no waiting). */
  peek(key: string): T | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (this.options.now() - item.at > this.options.ttlMs) {
      this.items.delete(key);
      return undefined;
    }
    return item.value;
  }

  async set(key: string, value: T): Promise<void> {
    this.put(key, value);
  }

  put(key: string, value: T): void {
    // Re-inserting moves the key to the end: Map order is least recently used first.
    this.items.delete(key);
    this.items.set(key, { value, at: this.options.now() });
    while (this.items.size > this.options.maxEntries) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }

  get size(): number {
    return this.items.size;
  }
}
