import { randomBytes } from 'node:crypto';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { TelegramConfig } from '../../config.ts';
import { ConversationLayer } from '../../conversation/layer.ts';
import { RateLimiter } from '../../conversation/rate-limit.ts';
import type { Logger } from '../../logger.ts';
import type { SeenIds } from '../../shared-state/seen-ids.ts';
import type { PlatformDeps, RunningPlatform } from '../platform.ts';
import type { PlatformError } from '../platform-error.ts';
import { createBotApiClient } from './bot-api-client.ts';
import { toBotCommands } from './bot-commands.ts';
import { ALLOWED_UPDATES, resolveTuning, type TelegramTuningOverrides } from './defaults.ts';
import { startupError, telegramError } from './errors.ts';
import { installHandlers } from './handlers.ts';
import { startLongPolling } from './polling.ts';
import { RecentUpdates } from './recent-updates.ts';
import { contextFor, retryingTelegram } from './retry.ts';
import { hideSecretsFromOutput } from './secret-output.ts';
import { TELEGRAM_SETUP_WARNINGS } from './texts.ts';
import { UpdateQueue, updateKey } from './update-queue.ts';
import { startWebhookServer, type WebhookServer } from './webhook.ts';

export { TELEGRAM_DEFAULTS, type TelegramTuningOverrides } from './defaults.ts';

export interface RunningTelegram extends RunningPlatform {
  readonly mode: 'polling' | 'webhook';
  readonly botUsername: string;
  /** The port the webhook server listens on (handy with port 0); undefined when polling. */
  readonly webhookPort: number | undefined;
  /**
   * Settles with the error if the bot stops receiving updates on its own (polling ended by a
   * 409 conflict or a revoked token); never settles otherwise. Lets main exit instead of idling.
   */
  readonly crashed: Promise<PlatformError>;
}

const DEFAULT_API_ROOT = 'https://api.telegram.org';

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => resolve(),
      () => resolve(),
    );
    promise.finally(() => clearTimeout(timer)).catch(() => {});
  });
}

/**
 * Starts the Telegram bot: checks the token (getMe), publishes the command menu, then long-polls,
 * or serves a webhook when `config.webhook` is set. Resolves once updates are being received.
 * `tuning` overrides the defaults (tests and the benchmark shorten waits).
 */
export async function startTelegram(
  config: TelegramConfig,
  deps: PlatformDeps,
  tuning: TelegramTuningOverrides = {},
): Promise<RunningTelegram> {
  const settings = resolveTuning(tuning);
  const logger = deps.logger.child({ platform: 'telegram' });
  const apiRoot = config.apiRoot ?? DEFAULT_API_ROOT;
  const botCommands = toBotCommands(deps.commands);
  // Before the first request: NODE_DEBUG=http would print its URL, token included.
  hideSecretsFromOutput([config.token]);

  // Every Bot API call goes over our own client (time limits, how far a failure got) and
  // through the retry policy; `giveUp` cuts retry waits short once stop() has drained.
  const client = createBotApiClient(config.token, apiRoot, { idleConnectionMs: settings.idleConnectionMs });
  const giveUp = new AbortController();
  // webhookReply off: every call goes to the Bot API, where errors are seen and retried.
  const telegramOptions = { webhookReply: false, ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}) };
  const telegram = retryingTelegram(
    config.token,
    telegramOptions,
    client,
    settings.retry,
    logger,
    giveUp.signal,
  );
  const bot = new Telegraf(config.token, {
    handlerTimeout: settings.handlerTimeoutMs,
    telegram: telegramOptions,
    contextType: contextFor(telegram),
  });
  bot.telegram = telegram;
  const release = () => {
    giveUp.abort();
    client.close();
  };

  let me: Awaited<ReturnType<typeof bot.telegram.getMe>>;
  try {
    me = await bot.telegram.getMe();
  } catch (error) {
    release();
    throw startupError(error, apiRoot, 'getMe');
  }
  bot.botInfo = me;
  warnAboutBotFatherSettings(me, logger);

  // Track every update in progress, so stop() can let replies finish.
  const inFlight = new Set<Promise<void>>();
  bot.use((_ctx, next) => {
    const handled = next();
    inFlight.add(handled);
    handled.then(
      () => inFlight.delete(handled),
      () => inFlight.delete(handled),
    );
    return handled;
  });
  installHandlers(bot, {
    service: deps.service,
    layer: deps.layer ?? new ConversationLayer(deps.service, deps.commands),
    commands: new Map(deps.commands.map((command) => [command.name, command])),
    logger,
    api: bot.telegram,
    me: { id: me.id, username: me.username },
    inlineMode: me.supports_inline_queries,
    answered: new RecentUpdates<string, string>(settings.rememberedAnsweredMessages),
    questions: deps.limiter ?? new RateLimiter({ points: deps.rateLimitPerMinute, windowMs: 60_000 }),
    // Inline queries arrive per keystroke: a budget of their own, in this process.
    inline: new RateLimiter({
      points: settings.inlineQueriesPerMinute,
      windowMs: 60_000,
      keyPrefix: 'inline',
    }),
    tuning: settings,
  });

  try {
    await bot.telegram.setMyCommands(botCommands);
  } catch (error) {
    // The menu is a convenience: the commands still work without it.
    logger.warn(
      { err: telegramError(error, 'setMyCommands').describe() },
      'Could not publish the command menu (setMyCommands)',
    );
  }

  let stopping = false;

  if (config.webhook) {
    const { url, port } = config.webhook;
    // Without a configured secret, a random one still keeps strangers from posting updates.
    const secret = config.webhook.secret ?? randomBytes(32).toString('base64url');
    hideSecretsFromOutput([secret]);
    const target = new URL(url);
    // Telegram sends a chat's next update once the previous request is answered, which can be at
    // the reply deadline, before its reply is out: the queue keeps that chat's replies in order.
    const chats = new UpdateQueue<{ update: Update; settled: () => void }>(
      // Without a response object telegraf sends every reply through the Bot API (retried).
      ({ update, settled }) => bot.handleUpdate(update).finally(settled),
      ({ update }) => updateKey(update),
      settings.polling.concurrency,
    );
    const server: WebhookServer = await startWebhookServer(
      {
        path: target.pathname + target.search,
        secretToken: secret,
        handleUpdate: (update) => new Promise<void>((settled) => chats.push({ update, settled })),
      },
      {
        port,
        host: config.webhook.host ?? settings.webhookHost,
        maxBodyBytes: settings.maxWebhookBodyBytes,
        replyDeadlineMs: settings.webhookReplyDeadlineMs,
        headersTimeoutMs: settings.webhookHeadersTimeoutMs,
        requestTimeoutMs: settings.webhookRequestTimeoutMs,
        keepAliveTimeoutMs: settings.webhookKeepAliveTimeoutMs,
        maxConnections: settings.webhookMaxConnections,
        rememberedUpdateIds: settings.rememberedUpdateIds,
        ...(deps.seenIds ? { firstSeen: firstSeenAcrossProcesses(deps.seenIds, me.id, logger) } : {}),
      },
      logger,
    );
    try {
      await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    } catch (error) {
      await server.close(0);
      release();
      throw startupError(error, apiRoot, 'setWebhook');
    }
    logger.info(
      { username: me.username, port: server.port, path: target.pathname },
      'Telegram bot started (webhook)',
    );
    let stopped: Promise<void> | undefined;
    return {
      name: 'telegram',
      mode: 'webhook',
      botUsername: me.username,
      webhookPort: server.port,
      // Telegram pushes updates; nothing here can stop that short of stop().
      crashed: new Promise<PlatformError>(() => {}),
      inFlight: () => server.inFlight(),
      abandoned: () => server.abandoned(),
      stop(reason, budgetMs = settings.stopTimeoutMs) {
        stopped ??= (async () => {
          stopping = true;
          logger.info({ reason }, 'Stopping Telegram bot');
          // Settles the replies in flight, then answers their requests, within the budget.
          await server.close(budgetMs);
          release();
        })();
        return stopped;
      },
    };
  }

  try {
    await bot.telegram.deleteWebhook();
  } catch (error) {
    release();
    throw startupError(error, apiRoot, 'deleteWebhook');
  }
  let crash: (error: PlatformError) => void = () => {};
  const crashed = new Promise<PlatformError>((resolve) => {
    crash = resolve;
  });
  // Concurrent across chats, in order within one; each update under telegraf's handlerTimeout.
  const queue = new UpdateQueue<Update>(
    (update) => bot.handleUpdate(update),
    updateKey,
    settings.polling.concurrency,
  );
  const polling = startLongPolling({
    client,
    allowedUpdates: ALLOWED_UPDATES,
    tuning: settings.polling,
    logger,
    dispatch: (update) => {
      queue.push(update);
      return queue.whenAtMost(settings.polling.maxQueued - 1);
    },
  });
  polling.ended.catch((error: unknown) => {
    if (stopping) return;
    const hint = pollingFailureHint(error);
    const failure = telegramError(error, 'getUpdates');
    logger.error({ err: failure.describe() }, hint);
    crash(failure.explained(hint));
  });
  await polling.began;
  logger.info({ username: me.username }, 'Telegram bot started (long polling)');

  let stopped: Promise<void> | undefined;
  return {
    name: 'telegram',
    mode: 'polling',
    botUsername: me.username,
    webhookPort: undefined,
    crashed,
    inFlight: () => Math.max(queue.size, inFlight.size),
    stop(reason, budgetMs = settings.stopTimeoutMs) {
      stopped ??= (async () => {
        const deadline = performance.now() + budgetMs;
        stopping = true;
        logger.info({ reason }, 'Stopping Telegram bot');
        await polling.stop();
        // Updates already fetched are answered (queued ones too); a little of the budget is kept
        // for confirming them to Telegram, so the next instance does not answer them again.
        const confirmMs = Math.min(settings.polling.graceMs, 1000, budgetMs / 5);
        await withTimeout(
          Promise.allSettled([queue.whenAtMost(0), ...inFlight]),
          Math.max(0, deadline - confirmMs - performance.now()),
        );
        const unfinished = Math.max(queue.size, inFlight.size);
        if (unfinished) logger.warn({ updates: unfinished }, 'Stopped with updates still being answered');
        giveUp.abort();
        await polling.confirm(Math.max(50, deadline - performance.now()));
        release();
      })();
      return stopped;
    },
  };
}

/**
 * Settings only @BotFather can change, read from getMe: the bot works without them, but not as
 * the README and /start promise, so the operator is told which command fixes it.
 */
function warnAboutBotFatherSettings(me: UserFromGetMe, logger: Logger): void {
  if (!me.supports_inline_queries)
    logger.warn({ setting: '/setinline' }, TELEGRAM_SETUP_WARNINGS.inlineOff(me.username));
  // A bot that cannot join groups never sees group messages at all: privacy mode is moot.
  if (me.can_join_groups && !me.can_read_all_group_messages)
    logger.warn({ setting: '/setprivacy' }, TELEGRAM_SETUP_WARNINGS.privacyOn(me.username));
}

function pollingFailureHint(error: unknown): string {
  if (error instanceof TelegramError && error.code === 409) {
    return 'Telegram polling stopped: another process is polling with this token, or a webhook is set (409 Conflict)';
  }
  if (error instanceof TelegramError && error.code === 401) {
    return 'Telegram polling stopped: the bot token was revoked (401 Unauthorized)';
  }
  return 'Telegram polling stopped unexpectedly';
}

/** Update ids in the shared store, per bot; a failing store counts as first seen (logged). */
function firstSeenAcrossProcesses(seen: SeenIds, botId: number, logger: Logger) {
  return (updateId: number) =>
    seen.firstTime(`telegram:${botId}:${updateId}`).catch((error: unknown) => {
      logger.warn(
        { updateId, err: telegramError(error, 'seen update ids').describe() },
        'Seen update ids unavailable: answering anyway',
      );
      return true;
    });
}
