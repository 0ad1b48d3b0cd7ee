import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalyticsDatabaseConfig } from '../config.ts';
import { AnalyticsDatabaseError } from './database.ts';
import type { Forgotten, StoredEvent, StoredVote, UserKey } from './types.ts';

/** What changes the database: batches, forget and purge. */
export interface Writer {
  write(events: readonly StoredEvent[], votes: readonly StoredVote[]): Promise<void>;
  forget(user: UserKey): Promise<Forgotten>;
  purgeBefore(atMs: number): Promise<number>;
}

export type WriterRequest =
  | { readonly op: 'open' }
  | { readonly op: 'write'; readonly events: readonly StoredEvent[]; readonly votes: readonly StoredVote[] }
  | { readonly op: 'forget'; readonly user: UserKey }
  | { readonly op: 'purge'; readonly atMs: number }
  | { readonly op: 'close' };

export type WriterResponse =
  | { readonly id: number; readonly ok: true; readonly result?: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

// Compiled, the worker is plain JS. Run from the TypeScript sources (tsx, vitest), the worker
// registers tsx's loader first (a worker does not inherit the parent's loader hooks).
const fromSources = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(
  fromSources ? './sqlite-writer-worker.ts' : './sqlite-writer-worker.js',
  import.meta.url,
);

function spawnWorker(config: unknown): Worker {
  if (!fromSources) return new Worker(WORKER_FILE, { workerData: config });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(
    /\.cjs$/,
    '.mjs',
  );
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_FILE.href)}); })`;
  return new Worker(boot, { eval: true, workerData: config });
}

/**
 * SQLite's writes in a worker thread. better-sqlite3 is synchronous, and a commit that meets a
 * WAL checkpoint can take 100 ms on a busy disk (measured): on the main thread that would stall
 * every reply. The worker owns the one writing connection, so batches, forget and purge run in
 * order there; reads (the report) use their own connection, which WAL lets run alongside.
 */
export class SqliteWorkerWriter implements Writer {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly config: Extract<AnalyticsDatabaseConfig, { kind: 'sqlite' }>) {}

  /** Starts the thread and opens its connection (at start-up, so the file is the one just migrated). */
  async open(): Promise<void> {
    await this.request({ op: 'open' });
  }

  write(events: readonly StoredEvent[], votes: readonly StoredVote[]): Promise<void> {
    return this.request({ op: 'write', events, votes }).then(() => undefined);
  }

  async forget(user: UserKey): Promise<Forgotten> {
    return (await this.request({ op: 'forget', user })) as Forgotten;
  }

  async purgeBefore(atMs: number): Promise<number> {
    return (await this.request({ op: 'purge', atMs })) as number;
  }

  async close(): Promise<void> {
    if (!this.worker) return;
    await this.request({ op: 'close' }).catch(() => {});
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: WriterRequest): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keeps the process alive while a write is in flight, and only then.
      worker.ref();
      worker.postMessage({ id, ...message });
    });
  }

  private start(): Worker {
    const worker = spawnWorker(this.config);
    worker.unref();
    worker.on('message', (response: WriterResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (!this.pending.size) worker.unref();
      if (response.ok) waiting.resolve(response.result);
      else waiting.reject(new AnalyticsDatabaseError(response.message));
    });
    // A worker that dies fails what it held; the next request starts a new one.
    const failAll = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new AnalyticsDatabaseError(`the SQLite writer stopped: ${reason}`));
      }
    };
    worker.on('error', (error) => failAll(error.message));
    worker.on('exit', (code) => failAll(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
