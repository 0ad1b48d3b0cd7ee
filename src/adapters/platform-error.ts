import { scrubSecrets } from '../secrets.ts';

/** The adapter a failure happened in. */
export type PlatformName = 'discord' | 'telegram' | 'console';

export interface PlatformErrorDetails {
  readonly platform: PlatformName;
  /**
   * The call that failed: a Bot API method (`sendMessage`), a REST route (`POST /channels/…`), or
   * a start-up step (`login`). Names, never payloads: a payload can hold a secret.
   */
  readonly method: string;
  /** The library's or the system's error, as thrown. */
  readonly cause?: unknown;
  /** What happened, for a person; the cause's own message when absent. */
  readonly message?: string;
  /** What to do about it, printed on its own line after the message. */
  readonly hint?: string;
  /** The platform's answer, when it gave one: the HTTP status and its own error code. */
  readonly status?: number;
  readonly code?: number | string;
  /**
   * Hides the credentials this platform carries where `scrubSecrets` cannot recognise them
   * (Discord's interaction tokens sit in request paths). Applied to every text the error renders.
   */
  readonly redact?: (text: string) => string;
}

/**
 * A failure at a platform's edge, the same for every adapter: which platform, which call, the
 * platform's answer (status, code) and the cause, with a message a person can act on. Its
 * message and `describe()` never hold a token: every text is scrubbed when the error is built
 * or rendered, so the error can go to a log or to stderr as it is. Start-up failures carry a
 * hint; main prints them as they are, without a stack.
 */
export class PlatformError extends Error {
  readonly platform: PlatformName;
  readonly method: string;
  /** The message without the hint. */
  readonly reason: string;
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly code: number | string | undefined;
  readonly #redact: (text: string) => string;
  readonly #details: PlatformErrorDetails;

  constructor(details: PlatformErrorDetails) {
    const redact = (text: string) => scrubSecrets(details.redact ? details.redact(text) : text);
    const reason = redact(details.message ?? messageOf(details.cause));
    super(details.hint ? `${reason}\n  hint: ${details.hint}` : reason, { cause: details.cause });
    this.name = 'PlatformError';
    this.platform = details.platform;
    this.method = redact(details.method);
    this.reason = reason;
    this.hint = details.hint;
    this.status = details.status;
    this.code = details.code;
    this.#redact = redact;
    this.#details = details;
  }

  /**
   * The same failure (platform, call, answer, cause) told as a person can act on it: what went
   * wrong, and what to do. Start-up errors are built this way from the library's error.
   */
  explained(message: string, hint?: string): PlatformError {
    const { hint: _previous, ...details } = this.#details;
    return new PlatformError({ ...details, message, ...(hint ? { hint } : {}) });
  }

  /**
   * The error as a log field: platform, method, the platform's answer and the cause, every text
   * scrubbed. A failure the platform answered (a status or a code) is described by that answer;
   * anything else (a bug, a broken connection) also gets the cause's stack. The cause goes under
   * `causedBy`: pino's error serializer would fold a `cause` into the message and drop its fields.
   */
  describe(): Record<string, unknown> {
    const answered = this.status !== undefined || this.code !== undefined;
    const stack = !answered && this.cause instanceof Error ? this.cause.stack : undefined;
    return {
      platform: this.platform,
      method: this.method,
      message: this.reason,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.code !== undefined ? { code: this.code } : {}),
      ...(this.cause !== undefined ? { causedBy: describeCause(this.cause, this.#redact) } : {}),
      ...(stack ? { stack: this.#redact(stack) } : {}),
    };
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A cause as loggable fields, with its own cause (fetch's network errors), two levels deep at most. */
function describeCause(cause: unknown, redact: (text: string) => string, depth = 0): Record<string, unknown> {
  if (!(cause instanceof Error)) return { message: redact(String(cause)) };
  const code = 'code' in cause && ['string', 'number'].includes(typeof cause.code) ? cause.code : undefined;
  return {
    name: cause.name,
    message: redact(cause.message),
    ...(code !== undefined ? { code } : {}),
    ...(cause.cause !== undefined && depth < 1
      ? { causedBy: describeCause(cause.cause, redact, depth + 1) }
      : {}),
  };
}
