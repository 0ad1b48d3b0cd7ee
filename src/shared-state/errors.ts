import type { Redis } from 'ioredis';

/**
 * A shared-state call that Redis did not complete (down, too slow, refused). Carries what was
 * attempted and the client's own error as `cause`; the caller decides whether to answer without
 * the shared state or to report a failure. Never contains values, the URL or a password.
 */
export class SharedStateError extends Error {
  override readonly name = 'SharedStateError';

  constructor(
    /** What was attempted, e.g. "context get". */
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`Redis ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Runs one Redis call, turning any failure into a SharedStateError for `operation`. While the
 * client is not connected the call is not attempted: it fails at once, saying so.
 */
export async function attempt<T>(client: Redis, operation: string, call: () => Promise<T>): Promise<T> {
  if (client.status !== 'ready')
    throw new SharedStateError(operation, new Error(`not connected (${client.status})`));
  try {
    return await call();
  } catch (error) {
    throw new SharedStateError(operation, error);
  }
}
