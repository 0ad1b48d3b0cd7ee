import { truncate } from '../core/text.ts';
import type { Logger } from '../logger.ts';
import { describeError } from './database.ts';
import { ANALYTICS_DEFAULTS } from './defaults.ts';
import { newEventId } from './event-id.ts';
import { realScheduler, type Scheduler } from './scheduler.ts';
import type { QuestionEvent, StoredEvent, StoredVote, UserKey, VoteValue } from './types.ts';

/** Where batches go: the store, or anything that writes them in one go. */
export interface BatchSink {
  write(events: readonly StoredEvent[], votes: readonly StoredVote[]): Promise<void>;
}

export interface RecorderOptions {
  readonly logger: Logger;
  readonly batchSize?: number;
  readonly flushIntervalMs?: number;
  readonly maxQueued?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  readonly now?: () => number;
  readonly scheduler?: Scheduler;
  readonly newId?: (nowMs: number) => string;
}

export interface RecorderStats {
  /** Waiting in memory, including a batch being written. */
  readonly queued: number;
  readonly writtenEvents: number;
  readonly writtenVotes: number;
  /** Refused because memory was full (the database slow or down). */
  readonly dropped: number;
  readonly failedWrites: number;
}

const MAX_BATCH = 1_000;

type Item = { readonly event: StoredEvent } | { readonly vote: StoredVote };

/**
 * Records questions and votes off the reply path: `record` and `vote` only append to an
 * in-memory queue and return at once; the queue is written in batches (when `batchSize` items
 * wait, or `flushIntervalMs` after the first), in order, so a vote is written after its event.
 * A failing write is logged and retried later with backoff; the queue is bounded, so while the
 * database is down memory stays flat and new items are dropped (counted, logged once per outage).
 * Nothing here throws into the caller.
 */
export class Recorder {
  private readonly queue: Item[] = [];
  private inFlight: Item[] = [];
  private draining: Promise<void> | undefined;
  private timer: unknown;
  private timerDue = Number.POSITIVE_INFINITY;
  private retryMs = 0;
  private closed = false;
  private dropLogged = false;
  private outage: { since: number; failures: number; droppedAtStart: number } | undefined;
  private counts = { writtenEvents: 0, writtenVotes: 0, dropped: 0, failedWrites: 0 };
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueued: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly now: () => number;
  private readonly scheduler: Scheduler;
  private readonly newId: (nowMs: number) => string;
  private readonly logger: Logger;

  constructor(
    private readonly sink: BatchSink,
    options: RecorderOptions,
  ) {
    this.logger = options.logger;
    // A batch is one transaction; bounded so its statements stay within the databases' parameter limits.
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? ANALYTICS_DEFAULTS.batchSize, MAX_BATCH));
    this.flushIntervalMs = options.flushIntervalMs ?? ANALYTICS_DEFAULTS.flushIntervalMs;
    this.maxQueued = options.maxQueued ?? ANALYTICS_DEFAULTS.maxQueued;
    this.retryMinMs = options.retryMinMs ?? ANALYTICS_DEFAULTS.retryMinMs;
    this.retryMaxMs = options.retryMaxMs ?? ANALYTICS_DEFAULTS.retryMaxMs;
    this.now = options.now ?? Date.now;
    this.scheduler = options.scheduler ?? realScheduler;
    this.newId = options.newId ?? newEventId;
  }

  /**
   * Queues one question and returns its event id at once (for a feedback button), or undefined
   * when it was not recorded (memory full, recorder closed). Never throws, never waits.
   */
  record(event: QuestionEvent): string | undefined {
    try {
      const at = this.now();
      const id = this.newId(at);
      return this.enqueue({ event: stored(event, id, at) }) ? id : undefined;
    } catch (error) {
      this.logger.error({ error: describeError(error) }, 'analytics: could not record an event');
      return undefined;
    }
  }

  /** Queues a vote: one per user and event, a later one replaces it. Never throws, never waits. */
  vote(eventId: string, user: UserKey, vote: VoteValue): boolean {
    try {
      return this.enqueue({ vote: { eventId, user, vote: vote > 0 ? 1 : -1, at: this.now() } });
    } catch (error) {
      this.logger.error({ error: describeError(error) }, 'analytics: could not record a vote');
      return false;
    }
  }

  /** Removes a user's events and votes still waiting in memory (for `forget`); returns the counts. */
  discardUser(user: UserKey): { events: number; votes: number } {
    let events = 0;
    let votes = 0;
    for (let i = this.queue.length - 1; i >= 0; i -= 1) {
      const item = this.queue[i];
      if (!item) continue;
      if ('event' in item ? item.event.user === user : item.vote.user === user) {
        this.queue.splice(i, 1);
        if ('event' in item) events += 1;
        else votes += 1;
      }
    }
    return { events, votes };
  }

  /** Resolves once a flush in progress (if any) has written everything or failed. */
  async settled(): Promise<void> {
    await this.draining;
  }

  /**
   * Writes what waits, batch by batch, until the queue is empty or a write fails (the rest then
   * stays queued for the retry). One flush runs at a time; a second call joins it. Never rejects.
   */
  flush(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drain(): Promise<void> {
    this.cancelTimer();
    while (this.queue.length) {
      try {
        await this.writeBatch();
      } catch {
        break; // logged by writeBatch; retried on the timer below
      }
    }
    if (this.queue.length && !this.closed) this.schedule(this.retryMs || this.flushIntervalMs);
  }

  /** Stops the timers and writes what is left (one attempt); later records are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.flush();
  }

  stats(): RecorderStats {
    return { queued: this.queue.length + this.inFlight.length, ...this.counts };
  }

  private enqueue(item: Item): boolean {
    if (this.closed) return false;
    if (this.queue.length + this.inFlight.length >= this.maxQueued) {
      this.counts.dropped += 1;
      if (!this.dropLogged) {
        this.dropLogged = true;
        this.logger.warn(
          { queued: this.maxQueued },
          'analytics: memory queue full, new events and votes are dropped until the database answers',
        );
      }
      return false;
    }
    this.queue.push(item);
    if (this.retryMs) return true; // the retry timer is set; a batch waits for it
    if (this.queue.length >= this.batchSize) this.schedule(0);
    else this.schedule(this.flushIntervalMs);
    return true;
  }

  /** Sets the flush timer to fire within `ms`, keeping an earlier one. */
  private schedule(ms: number): void {
    const due = this.now() + ms;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.cancelTimer();
    this.timerDue = due;
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
  }

  private async writeBatch(): Promise<void> {
    this.inFlight = this.queue.splice(0, this.batchSize);
    const events: StoredEvent[] = [];
    const votes: StoredVote[] = [];
    for (const item of this.inFlight) {
      if ('event' in item) events.push(item.event);
      else votes.push(item.vote);
    }
    try {
      await this.sink.write(events, votes);
      this.counts.writtenEvents += events.length;
      this.counts.writtenVotes += votes.length;
      this.inFlight = [];
      this.recovered();
    } catch (error) {
      // Back to the front, in order: the next attempt writes the same batch first.
      this.queue.unshift(...this.inFlight);
      this.inFlight = [];
      this.failed(error);
      throw error;
    }
  }

  private failed(error: unknown): void {
    this.counts.failedWrites += 1;
    this.retryMs = Math.min(this.retryMaxMs, this.retryMs ? this.retryMs * 2 : this.retryMinMs);
    const fields = { error: describeError(error), queued: this.queue.length, retryInMs: this.retryMs };
    if (!this.outage) {
      this.outage = { since: this.now(), failures: 1, droppedAtStart: this.counts.dropped };
      this.logger.error(fields, 'analytics: database write failed; events stay in memory and are retried');
    } else {
      this.outage.failures += 1;
      this.logger.debug(fields, 'analytics: database write failed again');
    }
  }

  private recovered(): void {
    this.retryMs = 0;
    this.dropLogged = false;
    if (!this.outage) return;
    this.logger.info(
      {
        failedAttempts: this.outage.failures,
        outageMs: this.now() - this.outage.since,
        dropped: this.counts.dropped - this.outage.droppedAtStart,
      },
      'analytics: database writes resumed',
    );
    this.outage = undefined;
  }
}

/**
 * The event as stored: text PostgreSQL can store (no NUL), cut to a bounded length, numbers that
 * are numbers. Built field by field (no spreads): this runs on the reply path.
 */
function stored(event: QuestionEvent, id: string, at: number): StoredEvent {
  let question = event.question;
  if (question.includes('\0')) question = question.replace(/\0/g, '');
  if (question.length > ANALYTICS_DEFAULTS.maxQuestionChars) {
    question = truncate(question, ANALYTICS_DEFAULTS.maxQuestionChars);
  }
  const result: {
    -readonly [K in keyof StoredEvent]: StoredEvent[K];
  } = {
    id,
    at,
    platform: event.platform,
    user: event.user,
    conversation: event.conversation,
    question,
    kind: event.kind,
    followUp: event.followUp,
    latencyMs: Number.isFinite(event.latencyMs) ? Math.max(0, event.latencyMs) : 0,
  };
  if (event.entryId) result.entryId = event.entryId;
  if (event.confidence !== undefined && Number.isFinite(event.confidence))
    result.confidence = event.confidence;
  return result;
}
