import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AnalyticsConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type AnalyticsDatabase, openDatabase } from './database.ts';
import { isEventId } from './event-id.ts';
import { Pseudonyms } from './pseudonyms.ts';
import { Recorder, type RecorderOptions, type RecorderStats } from './recorder.ts';
import { RetentionSchedule } from './retention.ts';
import type { Scheduler } from './scheduler.ts';
import { loadOrCreateSecret, secretPathFor } from './secret.ts';
import { AnalyticsStore } from './store.ts';
import type { Forgotten, QuestionEvent, UserKey, VoteValue } from './types.ts';
import { SqliteWorkerWriter, type Writer } from './writer.ts';

export { AnalyticsDatabaseError } from './database.ts';
export { EVENT_ID_LENGTH, isEventId } from './event-id.ts';
export type { ConversationKey, Forgotten, QuestionEvent, ReplyKind, UserKey, VoteValue } from './types.ts';

/**
 * The question log as the conversation layer uses it. `record` and `votes.cast` return at once
 * and never throw (writes are batched off the reply path); `forget` deletes a user's events and
 * votes, waiting for the database, and rejects when it cannot reach it.
 */
export interface Analytics {
  /** False with QUESTION_LOG=off: `record` and `cast` do nothing (forget and retention still work). */
  readonly enabled: boolean;
  /** Pseudonymous keys of platform ids: pass these, never raw ids, to the methods below. */
  readonly keys: Pseudonyms;
  readonly recorder: {
    /** The event's id (for feedback buttons), or undefined when nothing was recorded. */
    record(event: QuestionEvent): string | undefined;
  };
  readonly votes: {
    /** One vote per user and event; a second press replaces the first. False when not taken. */
    cast(eventId: string, user: UserKey, vote: VoteValue): boolean;
  };
  forget(user: UserKey): Promise<Forgotten>;
  /** Purges events older than ANALYTICS_RETENTION_DAYS now (it also runs daily by itself). */
  purgeExpired(): Promise<number | undefined>;
  /** The query layer, for the report and tests; undefined when there is no database. */
  readonly store?: AnalyticsStore;
  stats(): RecorderStats;
  /** Writes what is queued (for tests and the benchmark; close does it too). */
  flush(): Promise<void>;
  /** Stops the timers, writes what is queued (one attempt) and closes the database. */
  close(): Promise<void>;
}

export interface OpenAnalyticsOptions {
  readonly logger: Logger;
  readonly now?: () => number;
  readonly scheduler?: Scheduler;
  readonly recorder?: Omit<RecorderOptions, 'logger' | 'now' | 'scheduler'>;
  /** Run the daily retention purge (default true). */
  readonly retention?: boolean;
}

/**
 * Opens the database (creating and migrating it), the recorder and the daily retention purge.
 * Rejects with AnalyticsDatabaseError when the database cannot be opened or migrated: the caller
 * decides whether to run without analytics (see `disabledAnalytics`). With QUESTION_LOG=off and
 * no SQLite file yet, nothing is created.
 */
export async function openAnalytics(
  config: AnalyticsConfig,
  options: OpenAnalyticsOptions,
): Promise<Analytics> {
  const { logger } = options;
  if (!config.questionLog && config.database.kind === 'sqlite' && !existsSync(config.database.path)) {
    return disabledAnalytics();
  }
  const database = await openDatabase(config.database, { logger });
  let secret: string;
  try {
    secret =
      config.secret ??
      (config.database.kind === 'sqlite'
        ? loadOrCreateSecret(secretPathFor(config.database.path), logger)
        : // config requires ANALYTICS_SECRET with DATABASE_URL; this guards direct callers.
          missingSecret());
  } catch (error) {
    await database.close();
    throw error;
  }
  let worker: SqliteWorkerWriter | undefined;
  if (config.database.kind === 'sqlite') {
    worker = new SqliteWorkerWriter(config.database);
    try {
      await worker.open();
    } catch (error) {
      await worker.close();
      await database.close();
      throw error;
    }
  }
  return assemble(database, worker, new Pseudonyms(secret), config, options);
}

function missingSecret(): never {
  throw new Error('ANALYTICS_SECRET is required with DATABASE_URL');
}

function assemble(
  database: AnalyticsDatabase,
  worker: SqliteWorkerWriter | undefined,
  keys: Pseudonyms,
  config: AnalyticsConfig,
  options: OpenAnalyticsOptions,
): Analytics {
  const store = new AnalyticsStore(database);
  const writer: Writer = worker ?? store;
  const recorder = new Recorder(writer, {
    ...options.recorder,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  const retention = new RetentionSchedule((at) => writer.purgeBefore(at), {
    days: config.retentionDays,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  if (options.retention !== false) retention.start();
  const enabled = config.questionLog;
  return {
    enabled,
    keys,
    recorder: { record: (event) => (enabled ? recorder.record(event) : undefined) },
    votes: {
      cast: (eventId, user, vote) => enabled && isEventId(eventId) && recorder.vote(eventId, user, vote),
    },
    forget: async (user) => {
      // Memory first, then whatever a write in progress puts in the database, then the database.
      const queued = recorder.discardUser(user);
      await recorder.settled();
      const requeued = recorder.discardUser(user);
      const stored = await writer.forget(user);
      return {
        events: queued.events + requeued.events + stored.events,
        votes: queued.votes + requeued.votes + stored.votes,
      };
    },
    purgeExpired: () => retention.runOnce(),
    store,
    stats: () => recorder.stats(),
    flush: () => recorder.flush(),
    close: async () => {
      await retention.stop();
      await recorder.close();
      await worker?.close();
      await database.close();
    },
  };
}

/** Analytics that records nothing and has nothing to forget (no database, or it would not open). */
export function disabledAnalytics(): Analytics {
  const stats: RecorderStats = { queued: 0, writtenEvents: 0, writtenVotes: 0, dropped: 0, failedWrites: 0 };
  return {
    enabled: false,
    // Keys are still computed for callers; with nothing stored, any secret will do.
    keys: new Pseudonyms(randomBytes(32)),
    recorder: { record: () => undefined },
    votes: { cast: () => false },
    forget: async () => ({ events: 0, votes: 0 }),
    purgeExpired: async () => 0,
    stats: () => stats,
    flush: async () => {},
    close: async () => {},
  };
}
