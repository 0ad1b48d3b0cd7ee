import { Redis } from 'ioredis';

/**
 * How a Redis call behaves when Redis is slow or gone. A chat bot must answer (or fail) within
 * about a second; it must never wait for Redis indefinitely, nor pile up work while it is away.
 */
export interface RedisClientTuning {
  /**
   * Every command, whether sent or queued while reconnecting, is rejected with "Command timed out"
   * after this long. This is the bound on how long one message can wait for Redis.
   */
  readonly commandTimeoutMs: number;
  /**
   * Queued commands are failed after this many reconnection attempts. 1 fails them at the first
   * failed reconnection (well before the command timeout when Redis refuses connections), so a
   * long outage does not accumulate a queue.
   */
  readonly maxRetriesPerRequest: number;
  /**
   * Kept on: a command issued while connecting at start-up or during a reconnection of a few
   * milliseconds (a Redis restart, a failover) waits for the connection instead of failing, and
   * the two settings above bound that wait. Off would fail every command during any blip.
   */
  readonly enableOfflineQueue: boolean;
  /** Giving up on one connection attempt (then the client retries in the background). */
  readonly connectTimeoutMs: number;
  /** Wait between reconnection attempts, growing with each failure up to this cap. */
  readonly maxReconnectDelayMs: number;
}

export const REDIS_CLIENT_DEFAULTS: RedisClientTuning = Object.freeze({
  commandTimeoutMs: 1_000,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true,
  connectTimeoutMs: 2_000,
  maxReconnectDelayMs: 2_000,
});

export interface RedisClientOptions extends Partial<RedisClientTuning> {
  /**
   * Told once per outage (again only after the connection was ready in between), so a Redis that
   * stays down does not flood the log. The error never contains the URL or its password.
   */
  readonly onError: (error: Error) => void;
}

/**
 * Opens a client for REDIS_URL and waits until Redis answers, so a wrong URL or a Redis that is
 * down fails at start-up with a clear message rather than on the first message. Afterwards the
 * client reconnects by itself; calls during an outage reject within `commandTimeoutMs`.
 */
export async function connectRedis(url: string, options: RedisClientOptions): Promise<Redis> {
  const tuning = { ...REDIS_CLIENT_DEFAULTS, ...options };
  const client = new Redis(url, {
    lazyConnect: true,
    commandTimeout: tuning.commandTimeoutMs,
    maxRetriesPerRequest: tuning.maxRetriesPerRequest,
    enableOfflineQueue: tuning.enableOfflineQueue,
    connectTimeout: tuning.connectTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 100, tuning.maxReconnectDelayMs),
  });
  let reported = false;
  client.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    options.onError(error);
  });
  client.on('ready', () => {
    reported = false;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis (REDIS_URL) did not answer: ${describe(error)}`, { cause: error });
  }
  return client;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
