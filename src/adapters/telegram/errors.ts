import { TelegramError } from 'telegraf';
import { PlatformError } from '../platform-error.ts';
import { BotApiTransportError } from './bot-api-client.ts';

/**
 * Any failure around a Bot API call as the one PlatformError: Telegram's refusal names its
 * method and error_code (the HTTP status); a transport failure its method, Node's error code and,
 * when the headers arrived, the status; anything else is what `doing` was doing. A PlatformError
 * passes as it is.
 */
export function telegramError(error: unknown, doing: string): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof TelegramError) {
    const { method } = error.on as { method?: unknown };
    return new PlatformError({
      platform: 'telegram',
      method: typeof method === 'string' ? method : doing,
      status: error.code,
      cause: error,
    });
  }
  if (error instanceof BotApiTransportError) {
    return new PlatformError({
      platform: 'telegram',
      method: error.method,
      code: error.code,
      ...(error.status !== undefined ? { status: error.status } : {}),
      cause: error,
    });
  }
  return new PlatformError({ platform: 'telegram', method: doing, cause: error });
}

/** A start-up call's failure with a message a person can act on; main prints it without a stack. */
export function startupError(error: unknown, apiRoot: string, doing: string): PlatformError {
  const failure = telegramError(error, doing);
  if (error instanceof TelegramError && error.code === 401) {
    return failure.explained(
      'Telegram rejected the bot token (401 Unauthorized). Check TELEGRAM_BOT_TOKEN: copy it again from @BotFather, ' +
        'or revoke it there and use the new one.',
    );
  }
  if (error instanceof TelegramError && error.code === 404) {
    return failure.explained(
      `The Bot API at ${apiRoot} answered 404 Not Found: check TELEGRAM_API_ROOT (a root with a path needs a trailing slash).`,
    );
  }
  if (error instanceof BotApiTransportError) {
    return failure.explained(
      `Cannot reach the Telegram Bot API at ${apiRoot}: ${failure.reason}. Check the network or TELEGRAM_API_ROOT.`,
    );
  }
  return failure.explained(`Telegram start-up failed (${failure.method}): ${failure.reason}`);
}
