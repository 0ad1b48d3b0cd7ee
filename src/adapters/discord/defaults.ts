/**
 * Tuning knobs of the Discord adapter, in one place. Tests and benchmarks override them through
 * DiscordAdapterOptions; production uses these.
 */
export interface DiscordKnobs {
  readonly deferAfterMs: number;
  readonly stopTimeoutMs: number;
  readonly dmSweepIntervalMs: number;
  readonly interactionWindowMs: number;
  readonly sendRetryBudgetMs: number;
  readonly retryFirstDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly quotesPerPage: number;
}

export const DISCORD_DEFAULTS: DiscordKnobs = Object.freeze({
  /** Acknowledge with a deferral when an answer is not ready after this long: half of Discord's 3 s. */
  deferAfterMs: 1_500,
  /** How long stop() waits for in-flight replies before closing anyway. */
  stopTimeoutMs: 5_000,
  /** How often DM channels (cached by Partials.Channel, one per user) are dropped. */
  dmSweepIntervalMs: 600_000,
  /**
   * Discord accepts an interaction's first response for 3 s after creating it; retries past that
   * only earn 10062 Unknown interaction.
   */
  interactionWindowMs: 3_000,
  /**
   * How long a message reply or an edit is retried after 5xx, resets and timeouts. Message
   * creates carry a nonce with enforce_nonce, which Discord remembers for "a few minutes", so a
   * retry within this budget cannot duplicate; keep it well under that.
   */
  sendRetryBudgetMs: 60_000,
  /** First pause between our retries (discord.js has already retried 3 times at once); doubles. */
  retryFirstDelayMs: 250,
  retryMaxDelayMs: 5_000,
  /** Quotes on one page of `/quote` with nothing after it: a short list, not a wall in the channel. */
  quotesPerPage: 4,
});
