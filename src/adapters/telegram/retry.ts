import { setMaxListeners } from 'node:events';
import { Context, Telegram, TelegramError } from 'telegraf';
import type { Telegram as ApiMethods, Opts } from 'telegraf/types';
import type { Logger } from '../../logger.ts';
import { type BotApiClient, BotApiTransportError } from './bot-api-client.ts';
import type { RetryPolicy } from './defaults.ts';
import { telegramError } from './errors.ts';

/**
 * Retries for Bot API calls, within a total time budget per call: honour `retry_after` on 429,
 * back off on 5xx and on transport failures that provably did not reach the Bot API; give up at
 * once on anything else (400 bad request, 403 blocked by the user...), which a retry cannot fix.
 *
 * Telegram has no idempotency key, so a send whose connection failed after the request was
 * fully written is never retried: the message may already be in the chat, and a retry would
 * show it twice (one user once got four copies). Such a reply is logged as possibly lost
 * instead; a rare lost reply is the lesser harm.
 */

/** Calls that change what a chat shows each time they succeed; everything else may repeat. */
const NOT_IDEMPOTENT = new Set([
  'sendMessage',
  'forwardMessage',
  'forwardMessages',
  'copyMessage',
  'copyMessages',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'sendPoll',
]);

export const isIdempotent = (method: string): boolean => !NOT_IDEMPOTENT.has(method);

/** A transport failure that a retry may fix. */
function retriableTransport(error: BotApiTransportError, idempotent: boolean): boolean {
  if (error.delivery === 'not-sent') return true;
  return error.delivery === 'unknown' && idempotent;
}

export function backoff(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // "Equal jitter": at least half the delay, so retries from many updates spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long to wait before retrying after `error`, or undefined when it must not be retried. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  idempotent = true,
  random: () => number = Math.random,
): number | undefined {
  if (error instanceof TelegramError) {
    if (error.code === 429) return (error.parameters?.retry_after ?? 1) * 1000;
    return error.code >= 500 ? backoff(attempt, policy, random) : undefined;
  }
  if (error instanceof BotApiTransportError && retriableTransport(error, idempotent)) {
    return backoff(attempt, policy, random);
  }
  return undefined;
}

export interface RetryEvents {
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void;
  /** The call will not be retried although the failure might have been transient. */
  onGiveUp?(info: { attempts: number; elapsedMs: number; reason: string; error: unknown }): void;
}

export interface RetryOptions extends RetryEvents {
  readonly idempotent?: boolean;
  /** Cuts waits short (stop()); the call then fails with its last error. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly random?: () => number;
}

/** Resolves after `ms` (true), or at once (false) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why a failure that is never retried was not, for the log; undefined when it is final anyway. */
function notRetriedReason(error: unknown, idempotent: boolean): string | undefined {
  if (!(error instanceof BotApiTransportError)) return undefined;
  if (error.delivery === 'processed') return 'the Bot API accepted it but its answer was lost';
  if (error.delivery === 'unknown' && !idempotent)
    return 'the connection failed after it was sent: it may have been delivered, so it is not sent again';
  return undefined;
}

export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const now = options.now ?? (() => performance.now());
  const idempotent = options.idempotent ?? true;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delayMs = retryDelayMs(error, attempt, policy, idempotent, options.random);
      const giveUp = (reason: string) => {
        options.onGiveUp?.({ attempts: attempt, elapsedMs: Math.round(now() - started), reason, error });
        return error;
      };
      if (delayMs === undefined) {
        const reason = notRetriedReason(error, idempotent);
        throw reason ? giveUp(reason) : error;
      }
      const left = policy.budgetMs - (now() - started);
      if (delayMs > left) {
        throw giveUp(
          error instanceof TelegramError && error.code === 429
            ? `retry_after ${error.parameters?.retry_after ?? 1} s is beyond the ${policy.budgetMs} ms retry budget`
            : `still failing after ${attempt} attempts; the ${policy.budgetMs} ms retry budget is spent`,
        );
      }
      options.onRetry?.({ attempt, delayMs, error });
      if (!(await sleep(delayMs, options.signal))) throw giveUp('the bot is stopping');
    }
  }
}

/**
 * A `Telegram` whose every Bot API call (its typed methods all go through `callApi`) goes over
 * `client`, each attempt under the policy's time limit, through withRetry. A subclass, the way
 * telegraf lets a bot change how calls are made, rather than a patched instance; `contextFor`
 * hands the same instance to every update's `ctx`, so handlers can use `ctx.telegram` normally.
 * The long-polling loop calls `client` directly: it has its own time limit and back-off.
 */
export function retryingTelegram(
  token: string,
  options: Partial<Telegram['options']>,
  client: BotApiClient,
  policy: RetryPolicy,
  logger: Logger,
  stopping?: AbortSignal,
): Telegram {
  // Each retry wait listens on `stopping`: as many listeners as calls in flight, by design.
  if (stopping) setMaxListeners(0, stopping);
  const retried = (method: string, payload: object, options?: { signal?: AbortSignal }) => {
    const chatId = (payload as { chat_id?: unknown }).chat_id;
    return withRetry(
      () => client.call(method, payload, { timeoutMs: policy.attemptTimeoutMs, signal: options?.signal }),
      policy,
      {
        idempotent: isIdempotent(method),
        ...(stopping ? { signal: stopping } : {}),
        onRetry: ({ attempt, delayMs, error }) =>
          logger.warn(
            { method, chatId, attempt, delayMs, err: telegramError(error, method).describe() },
            'Bot API call failed, retrying',
          ),
        onGiveUp: ({ attempts, elapsedMs, reason, error }) =>
          logger.warn(
            { method, chatId, attempts, elapsedMs, reason, err: telegramError(error, method).describe() },
            'Bot API call given up',
          ),
      },
    );
  };
  class RetryingTelegram extends Telegram {
    // telegraf types callApi per method; every caller gets back what the Bot API's `result` held.
    override callApi<M extends keyof ApiMethods>(
      method: M,
      payload: Opts<M>,
      callOptions?: { signal?: unknown },
    ): Promise<ReturnType<ApiMethods[M]>> {
      // telegraf's AbortSignal type comes from an old polyfill; at run time it is Node's.
      const signal = callOptions?.signal as AbortSignal | undefined;
      // Every caller gets back what the Bot API's `result` held, as telegraf's own callApi does.
      return retried(method, payload as object, signal ? { signal } : {}) as Promise<
        ReturnType<ApiMethods[M]>
      >;
    }
  }
  return new RetryingTelegram(token, options);
}

/** A context class (telegraf's `contextType` option) whose `ctx.telegram` is `telegram`. */
export function contextFor(
  telegram: Telegram,
): new (
  ...args: ConstructorParameters<typeof Context>
) => Context {
  return class extends Context {
    constructor(
      update: ConstructorParameters<typeof Context>[0],
      _perUpdate: Telegram,
      botInfo: ConstructorParameters<typeof Context>[2],
    ) {
      super(update, telegram, botInfo);
    }
  };
}
