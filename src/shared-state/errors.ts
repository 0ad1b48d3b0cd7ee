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

/** Runs one Redis call, turning any failure into a SharedStateError for `operation`. */
export async function attempt<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SharedStateError(operation, error);
  }
}
