import type { Update } from 'telegraf/types';

/**
 * Runs updates concurrently across chats and in order within one chat (like grammY runner's
 * sequentialize): each update waits for the previous one with the same key, then for one of
 * `concurrency` slots. A chat stuck behind a slow reply holds at most one slot, so every other
 * chat goes on being answered. A key's entry is dropped when its chain empties, so memory
 * follows the updates in progress.
 */

/**
 * The conversation an update belongs to: the chat for messages and buttons, the user for
 * inline queries (which come from no chat). Undefined for types the adapter does not handle.
 */
export function updateKey(update: Update): string | undefined {
  if ('message' in update) return `chat:${update.message.chat.id}`;
  // After the message it edits, in the same chat's order.
  if ('edited_message' in update) return `chat:${update.edited_message.chat.id}`;
  if ('callback_query' in update) {
    const { message, from } = update.callback_query;
    return message ? `chat:${message.chat.id}` : `user:${from.id}`;
  }
  if ('inline_query' in update) return `user:${update.inline_query.from.id}`;
  return undefined;
}

export class UpdateQueue<T> {
  readonly #run: (item: T) => Promise<void>;
  readonly #keyOf: (item: T) => string | undefined;
  readonly #concurrency: number;
  /** The last item's promise per key: the next item of that key starts after it. */
  readonly #tails = new Map<string, Promise<void>>();
  readonly #waitingForSlot: (() => void)[] = [];
  readonly #listeners = new Set<() => void>();
  #running = 0;
  #size = 0;

  constructor(run: (item: T) => Promise<void>, keyOf: (item: T) => string | undefined, concurrency: number) {
    this.#run = run;
    this.#keyOf = keyOf;
    this.#concurrency = Math.max(1, concurrency);
  }

  /** Items queued or running. */
  get size(): number {
    return this.#size;
  }

  /** Chains in progress (one per key with work), for tests of the memory bound. */
  get keys(): number {
    return this.#tails.size;
  }

  push(item: T): void {
    const key = this.#keyOf(item);
    const previous = key === undefined ? undefined : this.#tails.get(key);
    this.#size++;
    const done = (previous ?? Promise.resolve())
      .then(() => this.#inSlot(() => this.#run(item)))
      // `run` reports its own failures; one failed item must not stop its chat's chain.
      .catch(() => {})
      .finally(() => {
        this.#size--;
        if (key !== undefined && this.#tails.get(key) === done) this.#tails.delete(key);
        for (const listener of this.#listeners) listener();
      });
    if (key !== undefined) this.#tails.set(key, done);
  }

  /** Resolves once at most `count` items are queued or running. */
  whenAtMost(count: number): Promise<void> {
    if (this.#size <= count) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = () => {
        if (this.#size > count) return;
        this.#listeners.delete(listener);
        resolve();
      };
      this.#listeners.add(listener);
    });
  }

  async #inSlot(task: () => Promise<void>): Promise<void> {
    // A freed slot passes straight to the next waiter, so no newcomer can slip in between.
    if (this.#running >= this.#concurrency) {
      await new Promise<void>((resolve) => this.#waitingForSlot.push(resolve));
    } else this.#running++;
    try {
      await task();
    } finally {
      const next = this.#waitingForSlot.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
