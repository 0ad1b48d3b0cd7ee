/**
 * Per-user question budget: `limit` questions per rolling minute window, counted from the
 * user's first question in the window. Memory stays bounded however many users ask: expired
 * windows are swept as the map grows, and the oldest entries go first when it is full.
 */

export type CooldownResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly retryAfterMs: number;
      /** True for the first refusal in a window: message replies note it once, then stay quiet. */
      readonly firstRefusal: boolean;
    };

interface Window {
  start: number;
  count: number;
  refused: boolean;
}

export interface CooldownOptions {
  readonly limit: number;
  readonly windowMs?: number;
  readonly maxUsers?: number;
  readonly now?: () => number;
}

export class Cooldown {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxUsers: number;
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: CooldownOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxUsers = options.maxUsers ?? 50_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#windows.size;
  }

  take(userId: string): CooldownResult {
    const now = this.#now();
    this.#sweep(now);
    let window = this.#windows.get(userId);
    if (!window || now - window.start >= this.#windowMs) {
      window = { start: now, count: 0, refused: false };
      // Re-insert so Map order stays oldest-window-first for eviction.
      this.#windows.delete(userId);
      this.#windows.set(userId, window);
    }
    if (window.count < this.#limit) {
      window.count += 1;
      return { ok: true };
    }
    const firstRefusal = !window.refused;
    window.refused = true;
    return { ok: false, retryAfterMs: window.start + this.#windowMs - now, firstRefusal };
  }

  #sweep(now: number): void {
    if (now >= this.#nextSweep) {
      this.#nextSweep = now + this.#windowMs;
      for (const [user, window] of this.#windows) {
        if (now - window.start < this.#windowMs) break;
        this.#windows.delete(user);
      }
    }
    while (this.#windows.size >= this.#maxUsers) {
      const oldest = this.#windows.keys().next();
      if (oldest.done) break;
      this.#windows.delete(oldest.value);
    }
  }
}
