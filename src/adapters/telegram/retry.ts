import { type Telegram, TelegramError } from 'telegraf';
import { type Logger, scrubSecrets } from '../../logger.ts';
import type { RetryPolicy } from './defaults.ts';

/**
 * Retries for Bot API calls: honour `retry_after` on 429, back off on 5xx and network failures,
 * give up at once on anything else (400 bad request, 403 blocked by the user...), which a retry
 * cannot fix.
 */

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

/** node-fetch's FetchError, as telegraf throws it for transport failures. */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'FetchError') return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

function backoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // "Equal jitter": at least half the delay, so retries from many updates spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long to wait before retrying after `error`, or undefined when it must not be retried. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (error instanceof TelegramError) {
    if (error.code === 429) {
      const ms = (error.parameters?.retry_after ?? 1) * 1000;
      return ms <= policy.maxRetryAfterMs ? ms : undefined;
    }
    return error.code >= 500 ? backoff(attempt, policy, random) : undefined;
  }
  return isNetworkError(error) ? backoff(attempt, policy, random) : undefined;
}

export interface RetryEvents {
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  events: RetryEvents = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delayMs = retryDelayMs(error, attempt, policy);
      if (delayMs === undefined || attempt >= policy.maxAttempts) throw error;
      events.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

export function describeError(error: unknown): string {
  return scrubSecrets(error instanceof Error ? error.message : String(error));
}

/**
 * Routes every Bot API call made through `telegram` (its typed methods all go through
 * `callApi`) via withRetry. getUpdates is left alone: telegraf's poller has its own retry loop
 * and must stay abortable. `onGetUpdates` tells the adapter that polling has really begun.
 */
export function installRetry(
  telegram: Telegram,
  policy: RetryPolicy,
  logger: Logger,
  onGetUpdates: () => void = () => {},
): void {
  const callApi = telegram.callApi.bind(telegram);
  const retried: typeof telegram.callApi = (method, payload, options) => {
    if (method === 'getUpdates') {
      onGetUpdates();
      return callApi(method, payload, options);
    }
    return withRetry(() => callApi(method, payload, options), policy, {
      onRetry: ({ attempt, delayMs, error }) =>
        logger.warn({ method, attempt, delayMs, err: describeError(error) }, 'Bot API call failed, retrying'),
    });
  };
  telegram.callApi = retried;
}

/** Start-up failures with a message a person can act on; main prints it without a stack. */
export class TelegramStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TelegramStartError';
  }
}

export function startupError(error: unknown, apiRoot: string): TelegramStartError {
  if (error instanceof TelegramError && error.code === 401) {
    return new TelegramStartError(
      'Telegram rejected the bot token (401 Unauthorized). Check TELEGRAM_BOT_TOKEN: copy it again from @BotFather, ' +
        'or revoke it there and use the new one.',
    );
  }
  if (error instanceof TelegramError && error.code === 404) {
    return new TelegramStartError(
      `The Bot API at ${apiRoot} answered 404 Not Found: check TELEGRAM_API_ROOT (a root with a path needs a trailing slash).`,
    );
  }
  if (isNetworkError(error) || (error instanceof Error && error.name === 'FetchError')) {
    return new TelegramStartError(
      `Cannot reach the Telegram Bot API at ${apiRoot}: ${describeError(error)}. Check the network or TELEGRAM_API_ROOT.`,
    );
  }
  return new TelegramStartError(`Telegram start-up failed: ${describeError(error)}`);
}
