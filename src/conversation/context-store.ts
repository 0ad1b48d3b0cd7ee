/**
 * A bounded, expiring map: each conversation's context lives until it has been idle for `ttlMs`,
 * and at most `maxEntries` are kept (the least recently used is dropped first), so memory stays
 * flat whatever the traffic. Time comes from an injected clock, so tests never sleep.
 */
export class ContextStore<T> {
  private readonly items = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly options: {
      readonly ttlMs: number;
      readonly maxEntries: number;
      readonly now: () => number;
    },
  ) {}

  get(key: string): T | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    if (this.options.now() - item.at > this.options.ttlMs) {
      this.items.delete(key);
      return undefined;
    }
    return item.value;
  }

  set(key: string, value: T): void {
    // Re-inserting moves the key to the end: Map order is least recently used first.
    this.items.delete(key);
    this.items.set(key, { value, at: this.options.now() });
    while (this.items.size > this.options.maxEntries) {
      const oldest = this.items.keys().next().value;
      if (oldest === undefined) break;
      this.items.delete(oldest);
    }
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  get size(): number {
    return this.items.size;
  }
}
