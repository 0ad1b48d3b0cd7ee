/**
 * The update ids seen lately, each with what became of it, so a redelivered update is
 * recognised instead of answered again (or, keyed by message, the text last answered for each
 * message, so an edit is answered once). Bounded: beyond `capacity` the oldest key is forgotten
 * (Telegram's ids increase, and it redelivers within minutes, not after thousands of updates).
 */
export class RecentUpdates<T, K = number> {
  readonly #seen = new Map<K, T>();

  constructor(readonly capacity: number) {}

  get(updateId: K): T | undefined {
    return this.#seen.get(updateId);
  }

  remember(updateId: K, value: T): void {
    this.#seen.delete(updateId);
    this.#seen.set(updateId, value);
    // A Map iterates in insertion order: its first key is the oldest.
    for (const oldest of this.#seen.keys()) {
      if (this.#seen.size <= this.capacity) break;
      this.#seen.delete(oldest);
    }
  }

  get size(): number {
    return this.#seen.size;
  }
}
