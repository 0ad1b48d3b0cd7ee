/**
 * Every tuning knob of the Telegram adapter, grouped by concern, in one frozen object.
 * `startTelegram` accepts a partial override so tests and the benchmark can shorten waits;
 * production uses these values.
 */
export interface TelegramTuning {
  /**
   * Each update's own time limit: telegraf stops waiting for its handler after this long (bot.catch
   * logs it) and the next update of that chat starts. Above the retry budget plus one attempt, so
   * a reply still being retried is not overtaken by the chat's next one.
   */
  readonly handlerTimeoutMs: number;
  /** stop() waits at most this long for in-flight replies before releasing resources. */
  readonly stopTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly polling: PollingTuning;
  /**
   * Bot API connections idle longer than this are closed instead of reused, so no send goes out
   * on a connection a NAT or load balancer silently dropped (typical idle limits: 60 s and up).
   */
  readonly idleConnectionMs: number;
  /** Inline queries arrive per keystroke, so they get a larger budget than questions. */
  readonly inlineQueriesPerMinute: number;
  /** Telegram's own limits. */
  readonly messageLimit: number;
  readonly maxInlineResults: number;
  readonly inlineCacheSeconds: number;
  readonly maxSuggestionButtons: number;
  readonly buttonLabelLimit: number;
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
  /**
   * Messages whose answered text is remembered, so an edit that leaves the text as answered (a
   * second edit update, a formatting-only change) is not answered twice; oldest forgotten first.
   */
  readonly rememberedAnsweredMessages: number;
}

export interface RetryPolicy {
  /** Back-off for 5xx and network failures: base * 2^(attempt-1), with jitter, capped. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * A call is retried for at most this long in total, waits for retry_after included; then it is
   * given up and logged. Long enough for a short Bot API outage, short enough for a chat.
   */
  readonly budgetMs: number;
  /** One attempt's limit for the whole exchange (headers and body); long polls have their own. */
  readonly attemptTimeoutMs: number;
}

export interface PollingTuning {
  /** getUpdates' `timeout` in seconds: how long Telegram holds a poll open (50 at most). */
  readonly timeoutSeconds: number;
  /** A poll with no complete answer this long after its `timeout` is dropped and polled again. */
  readonly graceMs: number;
  /** Updates per getUpdates (Telegram allows 1-100). */
  readonly limit: number;
  /** Updates handled at once, across chats; one chat's updates always run one at a time, in order. */
  readonly concurrency: number;
  /** Updates fetched but not yet finished beyond which polling pauses (bounds memory). */
  readonly maxQueued: number;
  /** Back-off between failed polls: base * 2^(failures-1), with jitter, capped. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const TELEGRAM_DEFAULTS: TelegramTuning = Object.freeze({
  handlerTimeoutMs: 80_000,
  stopTimeoutMs: 15_000,
  retry: Object.freeze({ baseDelayMs: 300, maxDelayMs: 5_000, budgetMs: 60_000, attemptTimeoutMs: 15_000 }),
  polling: Object.freeze({
    timeoutSeconds: 50,
    graceMs: 5_000,
    limit: 100,
    concurrency: 64,
    maxQueued: 1_000,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
  }),
  idleConnectionMs: 30_000,
  inlineQueriesPerMinute: 120,
  messageLimit: 4096,
  maxInlineResults: 5,
  inlineCacheSeconds: 300,
  maxSuggestionButtons: 4,
  buttonLabelLimit: 60,
  maxWebhookBodyBytes: 1_000_000,
  webhookHost: '127.0.0.1',
  webhookReplyDeadlineMs: 10_000,
  webhookHeadersTimeoutMs: 10_000,
  webhookRequestTimeoutMs: 20_000,
  webhookKeepAliveTimeoutMs: 10_000,
  webhookMaxConnections: 256,
  rememberedUpdateIds: 10_000,
  rememberedAnsweredMessages: 10_000,
});

export type TelegramTuningOverrides = Partial<Omit<TelegramTuning, 'retry' | 'polling'>> & {
  readonly retry?: Partial<RetryPolicy>;
  readonly polling?: Partial<PollingTuning>;
};

export function resolveTuning(overrides: TelegramTuningOverrides = {}): TelegramTuning {
  return {
    ...TELEGRAM_DEFAULTS,
    ...overrides,
    retry: { ...TELEGRAM_DEFAULTS.retry, ...overrides.retry },
    polling: { ...TELEGRAM_DEFAULTS.polling, ...overrides.polling },
  };
}

/**
 * The update types the adapter handles; Telegram is asked not to send others. An edited question
 * is answered again (people fix typos in place), so edits are asked for too.
 */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'inline_query'] as const;
