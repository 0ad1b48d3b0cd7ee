/**
 * The update ids seen lately, each with what became of it, so a redelivered update is
 * recognised instead of answered again. Bounded: beyond `capacity` the oldest id is forgotten
 * (Telegram's ids increase, and it redelivers within minutes, not after thousands of updates).
 */
export class RecentUpdates<T> {
  readonly #seen = new Map<number, T>();

  constructor(readonly capacity: number) {}

  get(updateId: number): T | undefined {
    return this.#seen.get(updateId);
  }

  remember(updateId: number, value: T): void {
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
