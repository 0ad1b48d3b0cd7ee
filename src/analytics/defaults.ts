/** Tuning of the question log: batching, bounds and time limits. */
export const ANALYTICS_DEFAULTS = Object.freeze({
  /** Events (and votes) written in one transaction; a full batch is flushed at once. */
  batchSize: 200,
  /** A partial batch waits at most this long in memory. */
  flushIntervalMs: 1_000,
  /**
   * Events and votes kept in memory while the database is slow or down; beyond it new ones are
   * dropped (counted and logged), so memory stays flat during an outage.
   */
  maxQueued: 10_000,
  /** After a failed write, the next attempt waits this long, doubling up to the maximum. */
  retryMinMs: 1_000,
  retryMaxMs: 60_000,
  /**
   * How long a write waits for another connection's lock (another process on the same file)
   * before the batch fails and is retried later. Writes run in a worker thread, so the wait
   * never blocks replies.
   */
  sqliteBusyTimeoutMs: 1_000,
  /** A PostgreSQL server that does not answer fails the write instead of holding it. */
  postgresConnectTimeoutMs: 3_000,
  postgresStatementTimeoutMs: 10_000,
  postgresPoolSize: 2,
  /** Stored question text is cut to this many characters (the core declines longer ones anyway). */
  maxQuestionChars: 2_000,
  retentionIntervalMs: 24 * 60 * 60 * 1_000,
  /** At a stop, the queued events get at least this long to be written, even past the stop budget. */
  closeFloorMs: 250,
});
