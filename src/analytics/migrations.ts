import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';

/**
 * The schema's versions, in order, in code (no migration folder to ship or find at run time).
 * Kysely's Migrator applies the missing ones at start-up, in one transaction each, under its
 * lock, so two processes starting together on one PostgreSQL do not race. Never edit a released
 * migration: add the next one. Column types are ones both SQLite and PostgreSQL read the same way.
 */
// Migrations take the schema of their own time, not today's: Kysely<unknown> keeps them untyped.
type Db = Kysely<unknown>;

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_events': {
    async up(db: Db) {
      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('conversation_key', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('confidence', 'double precision')
        .addColumn('follow_up', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_at').on('events').column('at').execute();
    },
    async down(db: Db) {
      await db.schema.dropTable('events').execute();
    },
  },
  // Feedback: one vote per user and event (a second press updates it); votes go with their event.
  // No index on events.user_key: it cost as much as the rest of an insert (random 43-character
  // keys, measured), and only the rare /forget needs it, as a scan in the writer's thread.
  '0002_votes': {
    async up(db: Db) {
      await db.schema
        .createTable('votes')
        .addColumn('event_id', 'text', (c) => c.notNull().references('events.id').onDelete('cascade'))
        .addColumn('user_key', 'text', (c) => c.notNull())
        .addColumn('vote', 'integer', (c) => c.notNull().check(sqlVoteIsOne()))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('votes_pk', ['event_id', 'user_key'])
        .execute();
      await db.schema.createIndex('votes_user_key').on('votes').column('user_key').execute();
    },
    async down(db: Db) {
      await db.schema.dropTable('votes').execute();
    },
  },
};

function sqlVoteIsOne() {
  return sql`vote in (-1, 1)`;
}

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).at(-1) ?? '';

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
