import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { AnalyticsDatabase } from './database.ts';
import type { AnalyticsSchema, EventsTable } from './schema.ts';
import type {
  ConversationKey,
  Forgotten,
  ReplyKind,
  StoredEvent,
  StoredVote,
  UserKey,
  VoteValue,
} from './types.ts';

/** 11 columns a row: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_INSERT = 500;

/** Which events a reading covers: `since` inclusive, `until` exclusive, milliseconds. */
export interface EventFilter {
  readonly since?: number;
  readonly until?: number;
  readonly platform?: string;
}

/** An event with the votes it got, for the report. */
export interface VotedEvent extends StoredEvent {
  readonly ups: number;
  readonly downs: number;
}

/**
 * The one query layer over both backends: every statement is built with Kysely from the same
 * code, so SQLite and PostgreSQL run the same schema and the same queries.
 */
export class AnalyticsStore {
  readonly kind: AnalyticsDatabase['kind'];
  private readonly db: Kysely<AnalyticsSchema>;
  private readonly insertSql = new Map<number, string>();

  constructor(private readonly database: AnalyticsDatabase) {
    this.db = database.db;
    this.kind = database.kind;
  }

  /**
   * Writes events, then votes, in one transaction; an event whose id is already stored is
   * skipped, so writing the same batch again is harmless. A vote for an event that does not exist (a
   * stale or forged button, an event dropped or purged) is skipped; a user's second vote on an
   * event replaces the first.
   */
  async write(events: readonly StoredEvent[], votes: readonly StoredVote[]): Promise<void> {
    this.database.assertReachable();
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
        await trx.executeQuery(this.insertEvents(events.slice(i, i + ROWS_PER_INSERT).map(toRow)));
      }
      // One statement may not touch a row twice (PostgreSQL's ON CONFLICT rule): the last press wins.
      const latest = new Map(votes.map((v) => [`${v.eventId}\0${v.user}`, v]));
      if (!latest.size) return;
      const ids = [...new Set([...latest.values()].map((v) => v.eventId))];
      const known = new Set(
        (await trx.selectFrom('events').select('id').where('id', 'in', ids).execute()).map((r) => r.id),
      );
      const rows = [...latest.values()]
        .filter((v) => known.has(v.eventId))
        .map((v) => ({ event_id: v.eventId, user_key: v.user, vote: v.vote, at: v.at }));
      if (!rows.length) return;
      await trx
        .insertInto('votes')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['event_id', 'user_key']).doUpdateSet((eb) => ({
            vote: eb.ref('excluded.vote'),
            at: eb.ref('excluded.at'),
          })),
        )
        .execute();
    });
  }

  /** Deletes every event of the user (with the votes on them) and every vote the user cast. */
  async forget(user: UserKey): Promise<Forgotten> {
    this.database.assertReachable();
    return this.db.transaction().execute(async (trx) => {
      const votes = await trx.deleteFrom('votes').where('user_key', '=', user).executeTakeFirst();
      const events = await trx.deleteFrom('events').where('user_key', '=', user).executeTakeFirst();
      return { events: Number(events.numDeletedRows), votes: Number(votes.numDeletedRows) };
    });
  }

  /** Deletes events older than `atMs` (and their votes); returns how many events. */
  async purgeBefore(atMs: number): Promise<number> {
    this.database.assertReachable();
    const result = await this.db.deleteFrom('events').where('at', '<', atMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const rows = await this.filtered(this.db.selectFrom('events').selectAll(), filter)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  async votes(): Promise<StoredVote[]> {
    const rows = await this.db.selectFrom('votes').selectAll().orderBy('at').orderBy('event_id').execute();
    return rows.map((r) => ({
      eventId: r.event_id,
      user: r.user_key as UserKey,
      vote: (r.vote > 0 ? 1 : -1) as VoteValue,
      at: Number(r.at),
    }));
  }

  /** Events with their 👍 and 👎 counts, oldest first. */
  async votedEvents(filter: EventFilter = {}): Promise<VotedEvent[]> {
    const tally = this.db
      .selectFrom('votes')
      .select([
        'event_id',
        sql<number>`sum(case when vote > 0 then 1 else 0 end)`.as('ups'),
        sql<number>`sum(case when vote < 0 then 1 else 0 end)`.as('downs'),
      ])
      .groupBy('event_id')
      .as('tally');
    const rows = await this.filtered(
      this.db
        .selectFrom('events')
        .leftJoin(tally, 'tally.event_id', 'events.id')
        .selectAll('events')
        .select(['tally.ups', 'tally.downs']),
      filter,
    )
      .orderBy('events.at')
      .orderBy('events.id')
      .execute();
    return rows.map((r) => ({ ...fromRow(r), ups: Number(r.ups ?? 0), downs: Number(r.downs ?? 0) }));
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * The batch insert, built by Kysely once per row count and then reused with new values:
   * building the statement for 200 rows cost as much CPU as SQLite's writing them (measured).
   */
  private insertEvents(rows: readonly EventsTable[]): CompiledQuery {
    const values = rows.flatMap((row) => EVENT_COLUMNS.map((column) => row[column]));
    const known = this.insertSql.get(rows.length);
    if (known) return CompiledQuery.raw(known, values);
    // A batch whose commit succeeded but whose acknowledgement was lost (a PostgreSQL connection
    // dropped after COMMIT, the SQLite worker gone after committing) comes back from the
    // recorder: ids already stored are skipped, or the retry would fail on the key forever.
    const compiled = this.db
      .insertInto('events')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .compile();
    // The reuse relies on Kysely binding values row by row in column order: check it once.
    if (JSON.stringify(compiled.parameters) !== JSON.stringify(values)) return compiled;
    this.insertSql.set(rows.length, compiled.sql);
    return compiled;
  }

  // The generic keeps each caller's selection type; only the shared columns are filtered on.
  private filtered<Q extends FilterableQuery>(query: Q, filter: EventFilter): Q {
    let q = query;
    if (filter.since !== undefined) q = q.where('events.at', '>=', filter.since) as Q;
    if (filter.until !== undefined) q = q.where('events.at', '<', filter.until) as Q;
    if (filter.platform !== undefined) q = q.where('events.platform', '=', filter.platform) as Q;
    return q;
  }
}

type FilterableQuery = {
  where(column: 'events.at' | 'events.platform', op: '>=' | '<' | '=', value: number | string): unknown;
};

const EVENT_COLUMNS = [
  'id',
  'at',
  'platform',
  'user_key',
  'conversation_key',
  'question',
  'kind',
  'entry_id',
  'confidence',
  'follow_up',
  'latency_ms',
] as const satisfies readonly (keyof EventsTable)[];

/** Every column, in EVENT_COLUMNS order (the order the cached insert binds them in). */
function toRow(event: StoredEvent): EventsTable {
  return {
    id: event.id,
    at: event.at,
    platform: event.platform,
    user_key: event.user,
    conversation_key: event.conversation,
    question: event.question,
    kind: event.kind,
    entry_id: event.entryId ?? null,
    confidence: event.confidence ?? null,
    follow_up: event.followUp ? 1 : 0,
    latency_ms: event.latencyMs,
  };
}

function fromRow(row: EventsTable): StoredEvent {
  return {
    id: row.id,
    at: Number(row.at),
    platform: row.platform,
    user: row.user_key as UserKey,
    conversation: row.conversation_key as ConversationKey,
    question: row.question,
    kind: row.kind as ReplyKind,
    ...(row.entry_id === null ? {} : { entryId: row.entry_id }),
    ...(row.confidence === null ? {} : { confidence: row.confidence }),
    followUp: row.follow_up === 1,
    latencyMs: Number(row.latency_ms),
  };
}
