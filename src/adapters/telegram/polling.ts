import { TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.ts';
import { BotApiAbortError, type BotApiClient } from './bot-api-client.ts';
import type { PollingTuning } from './defaults.ts';
import { telegramError } from './errors.ts';
import { backoff, sleep } from './retry.ts';

/**
 * The long-polling loop, in place of telegraf's. Telegraf's waits for a whole batch of updates
 * to be handled before it fetches the next, so one slow reply held every chat back; and its
 * polls could hang for 500 s. This loop hands each update to `dispatch` (which queues it and
 * resolves once there is room) and polls again at once; each poll is limited to its `timeout`
 * plus a grace period, and every failure is logged and retried with back-off. It ends on its own
 * only when Telegram refuses polling for good: 401 (token revoked), 409 (another poller or a
 * webhook), or another client error.
 */

export interface LongPollingOptions {
  readonly client: BotApiClient;
  readonly allowedUpdates: readonly string[];
  readonly tuning: PollingTuning;
  readonly logger: Logger;
  /** Takes the update at once; resolves when there is room for more (back-pressure). */
  readonly dispatch: (update: Update) => Promise<void>;
}

export interface LongPolling {
  /** Resolves once the first getUpdates is on its way. */
  readonly began: Promise<void>;
  /** Resolves after stop(); rejects with the error when Telegram refuses polling. */
  readonly ended: Promise<void>;
  /** Aborts the pending poll; resolves when the loop has ended. */
  stop(): Promise<void>;
  /**
   * Tells Telegram that every update fetched so far is handled, so the next instance does not
   * get them again (the loop confirms each batch by asking for the next one).
   */
  confirm(timeoutMs: number): Promise<void>;
}

/** Errors a new poll cannot fix. */
function isFinal(error: unknown): boolean {
  return error instanceof TelegramError && error.code !== 429 && error.code < 500;
}

export function startLongPolling(options: LongPollingOptions): LongPolling {
  const { client, tuning, logger } = options;
  const stopping = new AbortController();
  let offset = 0;
  let refused = false;
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve()));
  let markBegan = () => {};
  const began = new Promise<void>((resolve) => {
    markBegan = resolve;
  });

  const poll = () => {
    const request = client.call(
      'getUpdates',
      {
        offset,
        limit: tuning.limit,
        timeout: tuning.timeoutSeconds,
        allowed_updates: options.allowedUpdates,
      },
      { timeoutMs: tuning.timeoutSeconds * 1000 + tuning.graceMs, signal: stopping.signal },
    );
    markBegan();
    return request as Promise<Update[]>;
  };

  const loop = async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let updates: Update[];
      try {
        updates = await poll();
      } catch (error) {
        if (error instanceof BotApiAbortError || stopping.signal.aborted) return;
        if (isFinal(error)) {
          refused = true;
          throw error;
        }
        failures++;
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        const delayMs = retryAfter !== undefined ? retryAfter * 1000 : backoff(failures, tuning);
        logger.warn(
          { attempt: failures, delayMs, err: telegramError(error, 'getUpdates').describe() },
          'Telegram long poll failed; polling again',
        );
        await sleep(delayMs, stopping.signal);
        continue;
      }
      if (failures) logger.info({ failedPolls: failures }, 'Telegram long polling recovered');
      failures = 0;
      for (const update of updates) {
        // Updates left undispatched at a stop stay unconfirmed: Telegram gives them to the next instance.
        if (stopping.signal.aborted) return;
        const room = options.dispatch(update);
        offset = update.update_id + 1;
        await Promise.race([room, stopped]);
      }
    }
  };

  const ended = loop();
  // The caller reads `ended`; this keeps an early refusal from counting as unhandled meanwhile.
  ended.catch(() => {});

  return {
    began,
    ended,
    async stop() {
      stopping.abort();
      await ended.catch(() => {});
    },
    async confirm(timeoutMs) {
      // After a 401 or 409 a confirmation would fail too, or take over from the other poller.
      if (refused || offset === 0) return;
      await client
        .call('getUpdates', { offset, limit: 1, timeout: 0 }, { timeoutMs })
        .catch((error: unknown) => {
          logger.warn(
            { err: telegramError(error, 'getUpdates').describe() },
            'Could not confirm the last updates to Telegram',
          );
        });
    },
  };
}
