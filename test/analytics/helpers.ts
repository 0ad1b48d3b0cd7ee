import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Scheduler } from '../../src/analytics/scheduler.ts';
import type { AnalyticsConfig, AnalyticsDatabaseConfig } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { type PostgresServer, startPostgresServer } from '../fakes/postgres-server.ts';

export const SECRET = 'test-secret-0123456789abcdef';

/** A clock and timers that move only when the test says so. */
export class ManualClock {
  private timers: { at: number; run: () => void; id: number }[] = [];
  private next = 1;
  constructor(public nowMs: number) {}

  readonly now = () => this.nowMs;

  readonly scheduler: Scheduler = {
    setTimeout: (run, ms) => {
      const id = this.next++;
      this.timers.push({ at: this.nowMs + ms, run, id });
      return id;
    },
    clearTimeout: (handle) => {
      this.timers = this.timers.filter((t) => t.id !== handle);
    },
  };

  /** Moves time on, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    while (true) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowMs = Math.max(this.nowMs, due.at);
      due.run();
    }
    this.nowMs = end;
  }

  pending(): number {
    return this.timers.length;
  }

  /** When the waiting timers fall due, earliest first: what has not run yet, without sleeping. */
  dueTimes(): number[] {
    return this.timers.map((t) => t.at).sort((a, b) => a - b);
  }
}

/** A pino logger whose JSON lines the test can read. */
export function memoryLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: createLogger('debug', sink),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export type BackendName = 'sqlite' | 'postgres';

export interface Backend {
  /** A fresh, empty database for one test. */
  database(): Promise<AnalyticsDatabaseConfig>;
  config(overrides?: Partial<AnalyticsConfig>): Promise<AnalyticsConfig>;
  /** Set for PostgreSQL: the server, to stop and restart it. */
  readonly server?: PostgresServer;
  /** Set for SQLite: the directory the test databases live in. */
  readonly dir?: string;
}

/**
 * The backend for the enclosing describe block: a temporary directory of SQLite files, or a real
 * PostgreSQL server with one new database per test. Read the fields inside tests.
 */
export function useBackend(name: BackendName): Backend {
  let count = 0;
  const state: { dir?: string; server?: PostgresServer } = {};
  beforeAll(async () => {
    if (name === 'sqlite') state.dir = await mkdtemp(join(tmpdir(), 'analytics-test-'));
    else state.server = await startPostgresServer();
  });
  afterAll(async () => {
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
    await state.server?.close();
  });
  const backend: Backend = {
    get server() {
      return state.server;
    },
    get dir() {
      return state.dir;
    },
    database: async () => {
      count += 1;
      if (name === 'sqlite')
        return { kind: 'sqlite', path: join(state.dir ?? '', `db${count}`, 'analytics.sqlite') };
      if (!state.server) throw new Error('the PostgreSQL server did not start');
      return { kind: 'postgres', url: await state.server.createDatabase(`test_${count}`) };
    },
    config: async (overrides = {}) => ({
      questionLog: true,
      database: await backend.database(),
      secret: SECRET,
      retentionDays: 90,
      ...overrides,
    }),
  };
  return backend;
}

/** Closes what a test opened, even when it failed. */
export function useCleanup(): (close: () => Promise<unknown>) => void {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  });
  return (close) => {
    closers.push(close);
  };
}

/** Waits for a condition the code under test reaches asynchronously (a write, a purge). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
