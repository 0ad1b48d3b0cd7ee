import { parentPort, workerData } from 'node:worker_threads';
import type { AnalyticsDatabaseConfig } from '../config.ts';
import { type AnalyticsDatabase, describeError, openDatabase } from './database.ts';
import { AnalyticsStore } from './store.ts';
import type { WriterRequest, WriterResponse } from './writer.ts';

/**
 * The SQLite writer's thread (see SqliteWorkerWriter): one connection, one request at a time, in
 * the order they were sent. The main thread has migrated the schema before starting it.
 */
const config = workerData as AnalyticsDatabaseConfig;
// One store for the open connection, so its compiled insert statements are reused across batches.
let opened: Promise<{ database: AnalyticsDatabase; store: AnalyticsStore }> | undefined;
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: WriterRequest & { id: number }) => {
  queue = queue.then(() => handle(message));
});

async function handle(message: WriterRequest & { id: number }): Promise<void> {
  let response: WriterResponse;
  try {
    // The main thread made and migrated the file; one that has gone since is an error, not a new file.
    opened ??= openDatabase(config, { migrate: false, create: false }).then((database) => ({
      database,
      store: new AnalyticsStore(database),
    }));
    const { database, store } = await opened.catch((error: unknown) => {
      opened = undefined; // try again with the next request
      throw error;
    });
    let result: unknown;
    if (message.op === 'open') result = undefined;
    else if (message.op === 'write') await store.write(message.events, message.votes);
    else if (message.op === 'forget') result = await store.forget(message.user);
    else if (message.op === 'purge') result = await store.purgeBefore(message.atMs);
    else {
      await database.close();
      opened = undefined;
    }
    response = { id: message.id, ok: true, result };
  } catch (error) {
    response = { id: message.id, ok: false, message: describeError(error) };
  }
  parentPort?.postMessage(response);
}
