import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';

/**
 * What a failed request tells us about whether Discord acted on it. This decides whether a
 * retry is safe and whether an apology could contradict an answer the user already sees.
 */
export type Failure =
  /** It may have been processed (5xx, connection reset, timeout): only idempotent sends may retry. */
  | 'ambiguous'
  /** It never reached Discord (connection refused, DNS, 429): retrying is safe. */
  | 'unreached'
  /** Discord refused it (4xx): nothing was shown, and the same request would fail again. */
  | 'rejected'
  /** 40060: the interaction already has its response, so an earlier attempt landed. */
  | 'acknowledged'
  /** 10062: the interaction's 3-second window has passed. */
  | 'expired';

const UNREACHED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const AMBIGUOUS = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_ABORTED',
]);

function errorCode(error: Error): string | undefined {
  const own = 'code' in error ? error.code : undefined;
  if (typeof own === 'string') return own;
  const cause = error.cause;
  return cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
}

export function classify(error: unknown): Failure {
  if (error instanceof DiscordAPIError) {
    if (error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged) return 'acknowledged';
    if (error.code === RESTJSONErrorCodes.UnknownInteraction) return 'expired';
    if (error.status >= 500) return 'ambiguous';
    return error.status === 429 ? 'unreached' : 'rejected';
  }
  if (error instanceof HTTPError) return error.status >= 500 ? 'ambiguous' : 'rejected';
  if (error instanceof Error) {
    // discord.js aborts a request after its REST timeout (15 s): the server may have it.
    if (error.name === 'AbortError') return 'ambiguous';
    const code = errorCode(error);
    if (code && UNREACHED.has(code)) return 'unreached';
    if (code && AMBIGUOUS.has(code)) return 'ambiguous';
  }
  // Thrown before any request left (a bug, a discord.js precondition): nothing was sent.
  return 'rejected';
}

export interface RetrySettings {
  /** How long a message create or an edit may be retried. */
  readonly budgetMs: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Aborted when the adapter stops: pending retries give up instead of holding the stop. */
  readonly signal: AbortSignal;
}

export type Attempted<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | {
      readonly ok: false;
      readonly failure: Failure | 'stopped';
      readonly error: unknown;
      readonly attempts: number;
      /** Some attempt failed ambiguously: the user may see it, so no apology. */
      readonly mayHaveLanded: boolean;
    };

export interface RetryNotice {
  readonly failure: Failure;
  readonly error: unknown;
  readonly attempt: number;
  readonly delayMs: number;
}

/**
 * Runs `send` until it succeeds, fails for good, or the deadline (a Date.now() value) would pass
 * during the next pause; pauses double from `firstDelayMs` up to `maxDelayMs`. Only call it with
 * sends that are safe to repeat: a message create with a fixed nonce and enforce_nonce, an edit,
 * or an interaction's first response (Discord accepts one; repeats get 40060).
 */
export async function withRetries<T>(
  send: () => Promise<T>,
  settings: RetrySettings,
  deadline: number,
  onRetry: (notice: RetryNotice) => void,
): Promise<Attempted<T>> {
  let attempts = 0;
  let mayHaveLanded = false;
  let delayMs = settings.firstDelayMs;
  for (;;) {
    attempts += 1;
    try {
      return { ok: true, value: await send(), attempts };
    } catch (error) {
      const failure = classify(error);
      if (failure === 'ambiguous') mayHaveLanded = true;
      const retriable = failure === 'ambiguous' || failure === 'unreached';
      const pause = Math.min(delayMs, settings.maxDelayMs);
      if (!retriable || Date.now() + pause >= deadline) {
        return { ok: false, failure, error, attempts, mayHaveLanded };
      }
      if (settings.signal.aborted) return { ok: false, failure: 'stopped', error, attempts, mayHaveLanded };
      onRetry({ failure, error, attempt: attempts, delayMs: pause });
      try {
        await sleep(pause, undefined, { signal: settings.signal });
      } catch {
        return { ok: false, failure: 'stopped', error, attempts, mayHaveLanded };
      }
      delayMs *= 2;
    }
  }
}

/** The one reason a give-up is logged with: whether the user may have seen it decides the rest. */
export function givenUpReason(outcome: Extract<Attempted<unknown>, { ok: false }>): string {
  if (outcome.failure === 'stopped') return 'stopped';
  return outcome.mayHaveLanded ? 'ambiguous' : outcome.failure;
}
