import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest, openDatabase } from '../../src/analytics/database.ts';
import { ANALYTICS_DEFAULTS } from '../../src/analytics/defaults.ts';
import { type Analytics, isEventId, openAnalytics } from '../../src/analytics/index.ts';
import { MIGRATIONS } from '../../src/analytics/migrations.ts';
import { Recorder } from '../../src/analytics/recorder.ts';
import { AnalyticsStore } from '../../src/analytics/store.ts';
import type { ConversationKey, QuestionEvent, UserKey } from '../../src/analytics/types.ts';
import type { AnalyticsConfig } from '../../src/config.ts';
import {
  type Backend,
  type BackendName,
  ManualClock,
  memoryLogger,
  SECRET,
  until,
  useBackend,
  useCleanup,
} from './helpers.ts';

const DAY = 24 * 60 * 60 * 1_000;
const START = Date.UTC(2026, 10, 20, 12, 0, 0);

/** The same suite for both backends: one schema, one query layer. */
describe.each<BackendName>(['sqlite', 'postgres'])('analytics on %s', (name) => {
  const backend = useBackend(name);
  const cleanup = useCleanup();

  interface Opened {
    analytics: Analytics;
    clock: ManualClock;
    log: ReturnType<typeof memoryLogger>;
    config: AnalyticsConfig;
  }

  async function open(
    overrides: Partial<AnalyticsConfig> = {},
    recorder = {},
    clock = new ManualClock(START),
    log = memoryLogger(),
  ): Promise<Opened> {
    return reopen(await backend.config(overrides), recorder, clock, log);
  }

  async function reopen(
    config: AnalyticsConfig,
    recorder = {},
    clock = new ManualClock(START),
    log = memoryLogger(),
  ): Promise<Opened> {
    const analytics = await openAnalytics(config, {
      logger: log.logger,
      now: clock.now,
      scheduler: clock.scheduler,
      recorder,
    });
    cleanup(() => analytics.close());
    return { analytics, clock, log, config };
  }

  function question(analytics: Analytics, userId: string, text: string, extra: Partial<QuestionEvent> = {}) {
    return {
      platform: 'telegram',
      user: analytics.keys.user('telegram', userId),
      conversation: analytics.keys.conversation('telegram', `chat-${userId}`),
      question: text,
      kind: 'answer',
      entryId: 'kirby-role',
      confidence: 0.8125,
      followUp: false,
      latencyMs: 1.5,
      ...extra,
    } satisfies QuestionEvent;
  }

  it('migrates an empty database to the latest version, and a second start applies nothing', async () => {
    const config = await backend.database();
    const first = await openDatabase(config, { migrate: false });
    cleanup(() => first.close());
    expect(await migrateToLatest(first.db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(first.db)).toEqual([]);
    const second = await openDatabase(config);
    cleanup(() => second.close());
    expect(await new AnalyticsStore(second).count()).toBe(0);
  });

  it('migrates a database of the previous version, keeping its events, and votes then work', async () => {
    const database = await backend.database();
    const old = await openDatabase(database, { migrate: false });
    cleanup(() => old.close());
    expect(await migrateTo(old.db, '0001_events')).toEqual(['0001_events']);
    const id = '00000000aAAAAAAAAAAA';
    await old.db
      .insertInto('events')
      .values({
        id,
        at: START - DAY,
        platform: 'discord',
        user_key: 'u1',
        conversation_key: 'c1',
        question: 'who is kirby',
        kind: 'answer',
        entry_id: 'kirby-role',
        confidence: 0.9,
        follow_up: 0,
        latency_ms: 2,
      })
      .execute();
    // Version 1 has no votes table yet.
    await expect(old.db.selectFrom('votes').selectAll().execute()).rejects.toThrow();
    await old.close();

    const { analytics, clock } = await reopen({
      questionLog: true,
      database,
      secret: SECRET,
      retentionDays: 90,
    });
    expect(await analytics.store?.events()).toEqual([
      expect.objectContaining({ id, question: 'who is kirby', confidence: 0.9, followUp: false }),
    ]);
    expect(analytics.votes.cast(id, analytics.keys.user('discord', '7'), 1)).toBe(true);
    clock.advance(1_000);
    await analytics.flush();
    expect(await analytics.store?.votes()).toEqual([expect.objectContaining({ eventId: id, vote: 1 })]);
  });

  it('records events with an id at once, writes them in a batch after the interval, and stores no raw id', async () => {
    const { analytics, clock } = await open();
    const id = analytics.recorder.record(question(analytics, '4242', 'who is kirby'));
    clock.advance(1);
    const second = analytics.recorder.record(
      question(analytics, '4242', 'and his job?', {
        kind: 'clarify',
        followUp: true,
        confidence: 0.41,
        latencyMs: 0.25,
      }),
    );
    const { entryId: _entry, confidence: _confidence, ...bare } = question(analytics, '99', 'hello');
    clock.advance(1);
    const smalltalk = analytics.recorder.record({ ...bare, kind: 'smalltalk' });
    expect([id, second, smalltalk].every((x) => x !== undefined && isEventId(x))).toBe(true);
    expect(new Set([id, second, smalltalk]).size).toBe(3);
    expect(await analytics.store?.count()).toBe(0); // nothing written on the reply path

    clock.advance(997);
    // A second after the first has not passed: the flush timer still waits (the next to fall
    // due; the daily purge's comes later), and nothing was written.
    expect(clock.dueTimes()[0]).toBe(START + 1_000);
    expect(analytics.stats()).toMatchObject({ queued: 3, writtenEvents: 0, failedWrites: 0 });
    clock.advance(1);
    await analytics.flush(); // waits for the write the timer started
    const events = await analytics.store?.events();
    expect(events).toEqual([
      {
        id,
        at: START,
        platform: 'telegram',
        user: analytics.keys.user('telegram', '4242'),
        conversation: analytics.keys.conversation('telegram', 'chat-4242'),
        question: 'who is kirby',
        kind: 'answer',
        entryId: 'kirby-role',
        confidence: 0.8125,
        followUp: false,
        latencyMs: 1.5,
      },
      expect.objectContaining({
        id: second,
        kind: 'clarify',
        followUp: true,
        confidence: 0.41,
        latencyMs: 0.25,
      }),
      expect.objectContaining({ id: smalltalk, kind: 'smalltalk', question: 'hello' }),
    ]);
    expect(events?.[2]).not.toHaveProperty('entryId');
    expect(events?.[2]).not.toHaveProperty('confidence');
    expect(JSON.stringify(events)).not.toContain('4242');
    expect(analytics.keys.user('telegram', '4242')).not.toBe(analytics.keys.user('discord', '4242'));
    expect(analytics.keys.user('telegram', '4242')).not.toBe(analytics.keys.conversation('telegram', '4242'));
  });

  it('flushes a full batch without waiting for the interval', async () => {
    const { analytics, clock } = await open({}, { batchSize: 3, flushIntervalMs: 60_000 });
    for (const text of ['a', 'b']) analytics.recorder.record(question(analytics, '1', text));
    clock.advance(0);
    // Two of three wait for the interval: its timer is the next to fall due, nothing was written.
    expect(clock.dueTimes()[0]).toBe(START + 60_000);
    expect(analytics.stats()).toMatchObject({ queued: 2, writtenEvents: 0 });
    expect(await analytics.store?.count()).toBe(0);
    for (const text of ['c', 'd', 'e']) analytics.recorder.record(question(analytics, '1', text));
    clock.advance(0); // the size trigger fires at once, not after 60 s, and writes all that waits
    await until(async () => (await analytics.store?.count()) === 5);
    expect(analytics.stats()).toMatchObject({ queued: 0, writtenEvents: 5 });
  });

  it('keeps one vote per user and event: a second press changes it; unknown events are ignored', async () => {
    const { analytics, clock } = await open();
    const event = analytics.recorder.record(question(analytics, '1', 'who is kirby')) ?? '';
    const alice = analytics.keys.user('telegram', 'alice');
    const bob = analytics.keys.user('telegram', 'bob');
    expect(analytics.votes.cast(event, alice, 1)).toBe(true); // before the event is even written
    clock.advance(1_000);
    await analytics.flush();
    expect((await analytics.store?.votes())?.map((v) => v.vote)).toEqual([1]);
    clock.advance(10);
    analytics.votes.cast(event, alice, -1);
    analytics.votes.cast(event, bob, 1);
    analytics.votes.cast('0000000000000000000Z', bob, -1); // well formed, but no such event
    expect(analytics.votes.cast('not an id', bob, -1)).toBe(false);
    clock.advance(1_000);
    await analytics.flush();
    const votes = await analytics.store?.votes();
    expect(votes?.map((v) => [v.eventId, v.user, v.vote])).toEqual(
      expect.arrayContaining([
        [event, alice, -1],
        [event, bob, 1],
      ]),
    );
    expect(votes).toHaveLength(2);
    expect((await analytics.store?.votedEvents())?.[0]).toMatchObject({ id: event, ups: 1, downs: 1 });
  });

  it('forgets a user: every event (stored or still queued) and every vote they cast, and says how many', async () => {
    const { analytics, clock } = await open();
    const alice = analytics.keys.user('telegram', 'alice');
    const bob = analytics.keys.user('telegram', 'bob');
    const a1 = analytics.recorder.record(question(analytics, 'alice', 'who is kirby')) ?? '';
    analytics.recorder.record(question(analytics, 'alice', 'what did putin say'));
    const b1 =
      analytics.recorder.record(question(analytics, 'bob', 'casualties?', { kind: 'decline' })) ?? '';
    analytics.votes.cast(b1, alice, -1);
    analytics.votes.cast(a1, bob, 1);
    clock.advance(1_000);
    await analytics.flush();
    analytics.recorder.record(question(analytics, 'alice', 'not written yet'));

    expect(await analytics.forget(alice)).toEqual({ events: 3, votes: 1 });
    clock.advance(1_000);
    await analytics.flush();
    expect((await analytics.store?.events())?.map((e) => e.id)).toEqual([b1]);
    expect(await analytics.store?.votes()).toEqual([]); // bob's vote went with alice's event
    expect(await analytics.forget(alice)).toEqual({ events: 0, votes: 0 });
  });

  it('purges events older than the retention period at start and then daily, with their votes', async () => {
    const clock = new ManualClock(START - 100 * DAY);
    const log = memoryLogger();
    const first = await open({ retentionDays: 90 }, {}, clock, log);
    const { analytics } = first;
    const old = analytics.recorder.record(question(analytics, '1', 'very old')) ?? '';
    analytics.votes.cast(old, analytics.keys.user('telegram', '2'), 1);
    clock.advance(11 * DAY - 1); // 89 days and 1 ms before START
    analytics.recorder.record(question(analytics, '1', 'eighty-nine days old'));
    clock.advance(89 * DAY - 3_600_000); // START - 1 hour
    analytics.recorder.record(question(analytics, '1', 'new'));
    await analytics.flush();
    expect(await analytics.store?.count()).toBe(3);
    expect(await analytics.store?.votes()).toHaveLength(1);
    await analytics.close();

    // A start purges at once, then once a day.
    const restart = new ManualClock(START);
    const { analytics: reopened } = await reopen(first.config, {}, restart, log);
    // The purge's delete is visible to another connection before its run reports (and logs) it.
    const purgedLogged = () => log.lines().some((l) => l.msg === 'analytics: old events purged');
    await until(async () => (await reopened.store?.count()) === 2 && purgedLogged());
    expect((await reopened.store?.events())?.map((e) => e.question)).toEqual(['eighty-nine days old', 'new']);
    expect(await reopened.store?.votes()).toEqual([]);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ msg: 'analytics: old events purged', purged: 1 }),
    );

    restart.advance(DAY - 1); // not yet a day: the daily run still waits
    expect(restart.dueTimes()).toEqual([START + DAY]);
    expect(await reopened.store?.count()).toBe(2);
    restart.advance(1); // the daily run: that event is now 90 days and 1 ms old
    expect(await reopened.purgeExpired()).toBe(1); // joins the run the timer started
    expect(await reopened.store?.count()).toBe(1);
    expect(await reopened.purgeExpired()).toBe(0);
    expect(await reopened.purgeExpired()).toBe(0);
  });

  it('records nothing with QUESTION_LOG=off, but still forgets', async () => {
    const { analytics, clock } = await open({ questionLog: false });
    expect(analytics.enabled).toBe(false);
    expect(analytics.recorder.record(question(analytics, '1', 'who is kirby'))).toBeUndefined();
    expect(analytics.votes.cast('0000000000000000000Z', analytics.keys.user('telegram', '1'), 1)).toBe(false);
    clock.advance(1_000);
    await analytics.flush();
    expect((await analytics.store?.count()) ?? 0).toBe(0);
    expect(await analytics.forget(analytics.keys.user('telegram', '1'))).toEqual({ events: 0, votes: 0 });
  });

  it('takes the same batch twice as one (a commit whose acknowledgement was lost), and goes on recording', async () => {
    const opened = await openDatabase(await backend.database());
    cleanup(() => opened.close());
    const store = new AnalyticsStore(opened);
    const clock = new ManualClock(START);
    const log = memoryLogger();
    let lostAcks = 1;
    // The commit happens, then the connection drops before the client hears of it.
    const sink = {
      write: async (...batch: Parameters<AnalyticsStore['write']>) => {
        await store.write(...batch);
        if (lostAcks-- > 0) throw new Error('Connection terminated unexpectedly');
      },
    };
    const recorder = new Recorder(sink, {
      logger: log.logger,
      now: clock.now,
      scheduler: clock.scheduler,
      retryMinMs: 500,
    });
    const keys = { user: 'u1' as UserKey, conversation: 'c1' as ConversationKey };
    const event = (text: string) => ({
      platform: 'telegram',
      user: keys.user,
      conversation: keys.conversation,
      question: text,
      kind: 'answer' as const,
      followUp: false,
      latencyMs: 1,
    });
    const first = recorder.record(event('who is kirby')) ?? '';
    recorder.vote(first, 'u2' as UserKey, 1);
    clock.advance(1_000);
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ queued: 2, failedWrites: 1, writtenEvents: 0 });
    expect(await store.count()).toBe(1); // committed all the same

    const later = recorder.record(event('and his job?'));
    clock.advance(60_000);
    await recorder.flush();
    expect(recorder.stats()).toMatchObject({ queued: 0, failedWrites: 1, writtenEvents: 2, writtenVotes: 1 });
    expect((await store.events()).map((e) => e.id)).toEqual([first, later]);
    expect(await store.votes()).toEqual([expect.objectContaining({ eventId: first, vote: 1 })]);
    // Written directly, twice, the same batch leaves one row too.
    const stored = await store.events();
    await store.write(stored, []);
    expect(await store.count()).toBe(2);
    await recorder.close();
  });

  it('keeps events in bounded memory while writes fail, never throwing into the caller, and logs it', async () => {
    const { analytics, clock, log, config } = await open({}, { maxQueued: 4, retryMinMs: 500 });
    const heal = await breakDatabase(backend, config);
    const ids = ['a', 'b', 'c'].map((text) => analytics.recorder.record(question(analytics, '1', text)));
    expect(ids.every(Boolean)).toBe(true);
    clock.advance(1_000);
    await analytics.flush();
    expect(analytics.stats()).toMatchObject({ queued: 3, writtenEvents: 0 });
    expect(analytics.stats().failedWrites).toBeGreaterThan(0);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: 'analytics: database write failed; events stay in memory and are retried',
      }),
    );
    // Memory stays flat: past the bound, new events are refused, not queued.
    expect(analytics.recorder.record(question(analytics, '1', 'd'))).toBeDefined();
    expect(analytics.recorder.record(question(analytics, '1', 'e'))).toBeUndefined();
    expect(analytics.stats()).toMatchObject({ queued: 4, dropped: 1 });
    expect(log.lines().filter((l) => String(l.msg).includes('queue full'))).toHaveLength(1);

    await heal();
    // A retry that meets a server not yet accepting waits for the next backoff on the manual
    // clock: move it on at every poll, or that retry would never come.
    await until(async () => {
      clock.advance(ANALYTICS_DEFAULTS.retryMaxMs);
      return analytics.stats().queued === 0;
    });
    expect((await analytics.store?.events())?.map((e) => e.question).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ msg: 'analytics: database writes resumed' }),
    );
  });

  it.runIf(name === 'sqlite')(
    'fails writes, without throwing, once the SQLite directory is removed (not into an unlinked file)',
    async () => {
      const { analytics, clock, log, config } = await open();
      const { database } = config;
      if (database.kind !== 'sqlite') throw new Error('expected SQLite');
      await rm(dirname(database.path), { recursive: true, force: true });
      expect(() => analytics.recorder.record(question(analytics, '1', 'into the void'))).not.toThrow();
      clock.advance(1_000);
      await analytics.flush();
      expect(analytics.stats()).toMatchObject({ queued: 1, writtenEvents: 0 });
      expect(log.lines()).toContainEqual(
        expect.objectContaining({ level: 50, error: expect.stringContaining('was removed or replaced') }),
      );
      await expect(analytics.forget(analytics.keys.user('telegram', '1'))).rejects.toThrow(
        /removed or replaced/,
      );
    },
  );
});

/**
 * Makes writes fail for real: PostgreSQL stopped; SQLite locked by another connection (what a
 * second process holding a write transaction looks like). Returns how to heal it.
 */
async function breakDatabase(backend: Backend, config: AnalyticsConfig): Promise<() => Promise<void>> {
  const { database } = config;
  if (database.kind === 'postgres') {
    await backend.server?.stop();
    return async () => {
      await backend.server?.restart();
    };
  }
  const other = new Database(database.path);
  other.exec('BEGIN EXCLUSIVE');
  return async () => {
    other.exec('COMMIT');
    other.close();
  };
}
