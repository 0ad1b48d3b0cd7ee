import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { AnalyticsDatabaseConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { ANALYTICS_DEFAULTS } from './defaults.ts';
import { migrationProvider } from './migrations.ts';
import type { AnalyticsSchema } from './schema.ts';

/** A database that cannot be opened, migrated or written; the message never names a password. */
export class AnalyticsDatabaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnalyticsDatabaseError';
  }
}

export interface AnalyticsDatabase {
  readonly kind: AnalyticsDatabaseConfig['kind'];
  readonly db: Kysely<AnalyticsSchema>;
  /**
   * Throws when writes could not reach the database as it was opened: a SQLite file that was
   * removed or replaced would otherwise take writes into an unlinked inode and lose them silently.
   */
  assertReachable(): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly logger?: Logger;
  /** Apply missing migrations (default true); false opens the schema as it is, for migration tests. */
  readonly migrate?: boolean;
  /** Create the SQLite file and its directory when missing (default true). */
  readonly create?: boolean;
  /**
   * For readers such as the report: no migration, no file created, no pragma that writes (the
   * running bot owns the journal mode), and every statement refused a write (SQLite's read-only
   * connection; PostgreSQL's default_transaction_read_only).
   */
  readonly readOnly?: boolean;
}

/** Opens (creating when needed) and migrates the analytics database the configuration names. */
export async function openDatabase(
  config: AnalyticsDatabaseConfig,
  options: OpenOptions = {},
): Promise<AnalyticsDatabase> {
  const readOnly = options.readOnly === true;
  const opened =
    config.kind === 'sqlite'
      ? openSqlite(config.path, !readOnly && options.create !== false, readOnly)
      : openPostgres(config.url, options.logger, readOnly);
  if (!readOnly && options.migrate !== false) {
    try {
      await migrateToLatest(opened.db);
    } catch (error) {
      await opened.close().catch(() => {});
      throw error;
    }
  }
  return opened;
}

/** Applies every missing migration; returns the names applied. */
export async function migrateToLatest(db: Kysely<AnalyticsSchema>): Promise<string[]> {
  return applied(await new Migrator({ db, provider: migrationProvider }).migrateToLatest());
}

/** The migrations this checkout knows that the database has not had (a reader's check). */
export async function pendingMigrations(db: Kysely<AnalyticsSchema>): Promise<string[]> {
  const known = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** Migrates up or down to one version (tests: "the previous version"). */
export async function migrateTo(db: Kysely<AnalyticsSchema>, name: string): Promise<string[]> {
  return applied(await new Migrator({ db, provider: migrationProvider }).migrateTo(name));
}

function applied(result: Awaited<ReturnType<Migrator['migrateToLatest']>>): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new AnalyticsDatabaseError(
      `analytics database migration ${failed ?? ''} failed: ${describeError(result.error)}`.replace(
        '  ',
        ' ',
      ),
      { cause: result.error },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function openSqlite(path: string, create: boolean, readOnly: boolean): AnalyticsDatabase {
  let sqlite: Database.Database;
  try {
    if (create) {
      // Questions are private: a new directory and file are the owner's only (WAL files follow the file).
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'a', 0o600));
    }
    sqlite = new Database(path, {
      timeout: ANALYTICS_DEFAULTS.sqliteBusyTimeoutMs,
      fileMustExist: !create,
      readonly: readOnly,
    });
    if (!readOnly) {
      sqlite.pragma('journal_mode = WAL');
      // Safe with WAL (a crash loses at most the last transactions, never the file), and fast.
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
    }
  } catch (error) {
    throw new AnalyticsDatabaseError(
      `cannot open the analytics database ${path} (DATABASE_PATH): ${describeError(error)}`,
      { cause: error },
    );
  }
  const identity = fileIdentity(path);
  const db = new Kysely<AnalyticsSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    kind: 'sqlite',
    db,
    assertReachable: () => {
      if (fileIdentity(path) !== identity) {
        throw new AnalyticsDatabaseError(
          `the analytics database ${path} (DATABASE_PATH) was removed or replaced since start-up; restart to open it again`,
        );
      }
    },
    close: () => db.destroy(),
  };
}

function fileIdentity(path: string): string | undefined {
  try {
    const stats = statSync(path);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

function openPostgres(url: string, logger: Logger | undefined, readOnly: boolean): AnalyticsDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    max: ANALYTICS_DEFAULTS.postgresPoolSize,
    connectionTimeoutMillis: ANALYTICS_DEFAULTS.postgresConnectTimeoutMs,
    statement_timeout: ANALYTICS_DEFAULTS.postgresStatementTimeoutMs,
    // Times and counts are bigint, which pg returns as strings; milliseconds fit a JS number.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server drops (restart, network) is reported here; without a listener
  // the pool's 'error' event would end the process.
  pool.on('error', (error) => {
    logger?.warn({ error: describeError(error) }, 'analytics: PostgreSQL connection lost');
  });
  // A connection checked out when the server drops it (a query about to start, a restart)
  // reports on the client itself, where the pool's listener is not: without this listener that
  // 'error' event, too, would end the process. The query waiting on it still fails and is retried.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger?.warn({ error: describeError(error) }, 'analytics: PostgreSQL connection lost');
    });
  });
  const db = new Kysely<AnalyticsSchema>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', db, assertReachable: () => {}, close: () => db.destroy() };
}

/** An error's message for a log line: pg and SQLite messages carry no password, URLs are cut. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/\S+/gi, '[DATABASE_URL]');
}
