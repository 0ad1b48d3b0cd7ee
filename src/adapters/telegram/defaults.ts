/**
 * Every tuning knob of the Telegram adapter, grouped by concern, in one frozen object.
 * `startTelegram` accepts a partial override so tests and the benchmark can shorten waits;
 * production uses these values.
 */
export interface TelegramTuning {
  /** Telegraf aborts an update's handler after this long; bot.catch logs it. */
  readonly handlerTimeoutMs: number;
  /** stop() waits at most this long for in-flight replies before releasing resources. */
  readonly stopTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** Inline queries arrive per keystroke, so they get a larger budget than questions. */
  readonly inlineQueriesPerMinute: number;
  /** Telegram's own limits. */
  readonly messageLimit: number;
  readonly maxInlineResults: number;
  readonly inlineCacheSeconds: number;
  readonly maxSuggestionButtons: number;
  readonly buttonLabelLimit: number;
  /** Suggestions that are not knowledge-base questions are remembered for buttons, least recent dropped first. */
  readonly rememberedSuggestions: number;
  /** Webhook bodies above this are refused before parsing (a Telegram update is a few kB). */
  readonly maxWebhookBodyBytes: number;
  /**
   * Interface the webhook server listens on when TELEGRAM_WEBHOOK_HOST is unset. Loopback: the
   * server speaks plain HTTP, so Telegram can only reach it through a TLS proxy on this host.
   */
  readonly webhookHost: string;
  /**
   * A webhook request is answered once its reply has settled, or after this long, whichever is
   * first (the reply keeps going; a redelivery is recognised by its update id). Telegram's own
   * limit is undocumented; grammY waits 10 s.
   */
  readonly webhookReplyDeadlineMs: number;
  /** Slow-loris limits: all headers within this, the whole request within the next. */
  readonly webhookHeadersTimeoutMs: number;
  readonly webhookRequestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  readonly webhookKeepAliveTimeoutMs: number;
  /** Connections beyond this are dropped at once (Telegram opens at most 100, 40 by default). */
  readonly webhookMaxConnections: number;
  /** Update ids remembered to recognise a redelivery, oldest forgotten first. */
  readonly rememberedUpdateIds: number;
}

export interface RetryPolicy {
  /** Total attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Back-off for 5xx and network failures: base * 2^(attempt-1), with jitter, capped. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A 429 asking us to wait longer than this is not retried (the handler would time out anyway). */
  readonly maxRetryAfterMs: number;
}

export const TELEGRAM_DEFAULTS: TelegramTuning = Object.freeze({
  handlerTimeoutMs: 60_000,
  stopTimeoutMs: 15_000,
  retry: Object.freeze({ maxAttempts: 4, baseDelayMs: 300, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 }),
  inlineQueriesPerMinute: 120,
  messageLimit: 4096,
  maxInlineResults: 5,
  inlineCacheSeconds: 300,
  maxSuggestionButtons: 4,
  buttonLabelLimit: 60,
  rememberedSuggestions: 5_000,
  maxWebhookBodyBytes: 1_000_000,
  webhookHost: '127.0.0.1',
  webhookReplyDeadlineMs: 10_000,
  webhookHeadersTimeoutMs: 10_000,
  webhookRequestTimeoutMs: 20_000,
  webhookKeepAliveTimeoutMs: 10_000,
  webhookMaxConnections: 256,
  rememberedUpdateIds: 10_000,
});

export type TelegramTuningOverrides = Partial<Omit<TelegramTuning, 'retry'>> & {
  readonly retry?: Partial<RetryPolicy>;
};

export function resolveTuning(overrides: TelegramTuningOverrides = {}): TelegramTuning {
  return { ...TELEGRAM_DEFAULTS, ...overrides, retry: { ...TELEGRAM_DEFAULTS.retry, ...overrides.retry } };
}

/** The update types the adapter handles; Telegram is asked not to send others. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query'] as const;
