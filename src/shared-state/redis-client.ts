import { Redis } from 'ioredis';

/**
 * How a Redis call behaves when Redis is slow or gone. A chat bot must answer (or fail) within
 * about a second; it must never wait for Redis indefinitely, nor pile up work while it is away.
 */
export interface RedisClientTuning {
  /**
   * A command Redis does not answer (frozen, overloaded, a dead network that has not closed the
   * connection) is rejected with "Command timed out" after this long: the bound on how long one
   * message can wait for Redis.
   */
  readonly commandTimeoutMs: number;
  /**
   * Commands that were on the wire when the connection dropped are failed at the first failed
   * reconnection (ioredis' default, 20 attempts, would hold them until the command timeout).
   */
  readonly maxRetriesPerRequest: number;
  /** Giving up on one connection attempt (then the client retries in the background). */
  readonly connectTimeoutMs: number;
  /** Wait between reconnection attempts, growing with each failure up to this cap. */
  readonly maxReconnectDelayMs: number;
}

export const REDIS_CLIENT_DEFAULTS: RedisClientTuning = Object.freeze({
  commandTimeoutMs: 1_000,
  maxRetriesPerRequest: 1,
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
 * client reconnects by itself; while it is disconnected the stores fail at once, and a call Redis
 * does not answer fails after `commandTimeoutMs`.
 */
export async function connectRedis(url: string, options: RedisClientOptions): Promise<Redis> {
  const tuning = { ...REDIS_CLIENT_DEFAULTS, ...options };
  const client = new Redis(url, {
    lazyConnect: true,
    commandTimeout: tuning.commandTimeoutMs,
    maxRetriesPerRequest: tuning.maxRetriesPerRequest,
    // No offline queue: while disconnected a command fails at once instead of waiting. Measured with
    // a queue, every call during a long outage waited the whole command timeout (1,002 ms) before
    // failing; without, 0 ms. The cost is that calls during a reconnection of ~100 ms fail too, which
    // only loses one turn's context (the limiter has its in-process insurance).
    enableOfflineQueue: false,
    // A command whose caller was already told it failed must not take effect later, after a
    // reconnection (a stale context overwriting a newer one written by another process).
    autoResendUnfulfilledCommands: false,
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
