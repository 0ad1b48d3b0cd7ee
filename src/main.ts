import { commands } from '../commands/index.ts';
import { runConsoleChat } from './adapters/console/chat.ts';
import type { PlatformDeps, RunningPlatform } from './adapters/platform.ts';
import { ANALYTICS_DEFAULTS } from './analytics/defaults.ts';
import { type Analytics, disabledAnalytics, openAnalytics } from './analytics/index.ts';
import { runMain } from './cli/run-main.ts';
import { exitQuietlyWhenStdoutCloses } from './cli/stdout.ts';
import { PROCESS_TEXTS } from './cli/texts.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { ConversationLayer } from './conversation/layer.ts';
import { loadKnowledge } from './core/knowledge.ts';
import { createQaService, type QaService } from './core/service.ts';
import { createLogger, type Logger } from './logger.ts';
import { scrubSecrets } from './secrets.ts';
import { openSharedState } from './shared-state/open.ts';
import { platformBudgetMs, stopWithin } from './shutdown.ts';

/**
 * `npm start`: every platform whose token is configured, side by side; with none, the console chat.
 * Platform libraries (discord.js, telegraf) are imported only when used, so the console starts fast.
 */
const PLATFORMS: readonly {
  readonly name: string;
  readonly enabled: (config: AppConfig) => boolean;
  readonly start: (config: AppConfig, deps: PlatformDeps) => Promise<RunningPlatform>;
}[] = [
  {
    name: 'telegram',
    enabled: (config) => config.telegram !== undefined,
    start: async (config, deps) => {
      const { startTelegram } = await import('./adapters/telegram/index.ts');
      if (!config.telegram) throw new Error('telegram is not configured');
      return startTelegram(config.telegram, deps);
    },
  },
  {
    name: 'discord',
    enabled: (config) => config.discord !== undefined,
    start: async (config, deps) => {
      const { startDiscord } = await import('./adapters/discord/index.ts');
      if (!config.discord) throw new Error('discord is not configured');
      return startDiscord(config.discord, deps);
    },
  },
];

runMain(async () => {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const service = createQaService(loadKnowledge(config.knowledgeFile), {
    // The user still gets a polite reply; the bug goes to the logs (never the raw question: it is user data).
    onError: (error) => logger.error({ err: scrubSecrets(String(error)) }, 'internal error while answering'),
  });
  const enabled = PLATFORMS.filter((p) => p.enabled(config));
  const analytics = await openAnalyticsOrNone(config, logger);

  if (enabled.length === 0) {
    try {
      await runConsole(service, analytics, logger);
    } finally {
      await closeWithin(analytics, config.shutdownTimeoutMs, logger);
    }
    return;
  }

  const shared = await openSharedState({
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(config.redisKeyPrefix ? { keyPrefix: config.redisKeyPrefix } : {}),
    rateLimitPerMinute: config.rateLimitPerMinute,
    onError: (error) => logger.warn({ err: scrubSecrets(error.message) }, 'shared state (Redis) unavailable'),
  });
  const deps: PlatformDeps = {
    service,
    commands,
    logger,
    rateLimitPerMinute: config.rateLimitPerMinute,
    // One layer for every platform of the process: conversation context and command text live once.
    layer: new ConversationLayer(service, commands, {
      ...(shared.contexts ?? {}),
      onStoreError: (error, operation) =>
        logger.warn({ err: scrubSecrets(String(error)), operation }, 'conversation context unavailable'),
      analytics,
      onAnalyticsError: (error) =>
        logger.warn({ err: scrubSecrets(String(error)) }, 'question log unavailable'),
    }),
    limiter: shared.limiter,
    ...(shared.seenIds ? { seenIds: shared.seenIds } : {}),
  };
  const running: RunningPlatform[] = [];
  let stopping = false;
  /** Stops every platform within SHUTDOWN_TIMEOUT_MS, then exits; what was still in flight is logged. */
  const shutdown = async (reason: string, exitCode: number) => {
    stopping = true;
    const started = Date.now();
    const { elapsedMs, leftovers } = await stopWithin(running, reason, config.shutdownTimeoutMs);
    shared.close();
    // The platforms' replies are out (or given up): what they recorded is written in what is left.
    // A floor, so platforms that used the whole budget do not cost the last second of questions.
    const left = config.shutdownTimeoutMs - (Date.now() - started);
    await closeWithin(analytics, Math.max(left, ANALYTICS_DEFAULTS.closeFloorMs), logger);
    if (leftovers.length) {
      // Logged as an error, yet the exit code stays the one asked for: the process did stop within
      // its budget, and a non-zero code after SIGTERM would mark a routine stop as failed (systemd).
      logger.error(
        { reason, budgetMs: config.shutdownTimeoutMs, elapsedMs, leftovers },
        'stop budget ran out: work still in flight was dropped',
      );
      process.exit(exitCode);
    }
    logger.info({ reason, elapsedMs }, 'stopped');
    process.exit(exitCode);
  };

  // A rejected promise or a throw in one conversation is logged, never fatal.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: scrubSecrets(String(reason)) }, 'unhandled rejection');
  });

  // Installed before start-up, so a stop requested while a platform is still connecting is honoured
  // too. `on`, not `once`: a Ctrl+C under `npm start` arrives twice (from the terminal and forwarded
  // by npm), and a second signal must not kill the process before its replies are out.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.info({ signal }, 'already stopping');
        return;
      }
      logger.info({ signal, budgetMs: config.shutdownTimeoutMs }, 'stopping: finishing in-flight replies');
      void shutdown(signal, 0);
    });
  }

  try {
    for (const platform of enabled) {
      const started = await platform.start(config, deps);
      running.push(started);
      if (stopping) {
        // Asked to stop while this one was starting; shutdown() did not see it.
        await started.stop('stopped during start-up', platformBudgetMs(config.shutdownTimeoutMs));
        return;
      }
      logger.info({ platform: platform.name }, 'platform started');
      // A platform that dies on its own (another instance took over, the token was revoked) must
      // not leave a process that looks alive: stop everything and exit non-zero for the supervisor.
      void started.crashed?.then((error) => {
        if (stopping) return; // a platform closing because we asked it to is not a crash
        logger.fatal({ platform: platform.name, err: error.describe() }, 'platform stopped serving');
        void shutdown('platform crashed', 1);
      });
    }
  } catch (error) {
    stopping = true;
    await stopWithin(running, 'start-up failed', config.shutdownTimeoutMs);
    shared.close();
    await closeWithin(analytics, config.shutdownTimeoutMs, logger);
    throw error;
  }
});

/**
 * No platform configured: the console chat. From a terminal it is interactive; from a pipe it
 * answers each line, with a note on stderr saying why no bot started, and fails when there was
 * nothing to answer (stdin /dev/null under a supervisor), so a misconfigured service does not
 * look like a clean exit.
 */
async function runConsole(service: QaService, analytics: Analytics, logger: Logger): Promise<void> {
  exitQuietlyWhenStdoutCloses();
  const interactive = process.stdin.isTTY === true;
  if (!interactive) process.stderr.write(`${PROCESS_TEXTS.consoleFromPipe}\n`);
  // At a terminal, SIGTERM (and a Ctrl+C that reaches us as a signal, when stdout is not the
  // terminal) ends the chat as Ctrl+D does: the reply under way, the goodbye, the terminal's own
  // mode back, exit 0. A pipe keeps node's default, as before.
  const stop = new AbortController();
  if (interactive) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop.abort());
  }
  const answered = await runConsoleChat({
    service,
    commands,
    input: process.stdin,
    output: process.stdout,
    interactive,
    // Line editing writes cursor movements: only when stdout is the terminal too, not `| tee log`.
    terminal: interactive && process.stdout.isTTY === true,
    stop: stop.signal,
    analytics,
    onError: (error) => logger.error({ err: error.describe() }, 'console: a line could not be answered'),
  });
  if (!interactive && answered === 0) {
    process.stderr.write(`${PROCESS_TEXTS.consoleNoInput}\n`);
    process.exitCode = 1;
  }
}

/**
 * The question log from config (SQLite under var/ unless DATABASE_PATH or DATABASE_URL says
 * otherwise). A database that cannot be opened is logged and the bot runs without it: recording
 * is never a reason not to answer.
 */
async function openAnalyticsOrNone(config: AppConfig, logger: Logger): Promise<Analytics> {
  try {
    const analytics = await openAnalytics(config.analytics, { logger });
    if (analytics.enabled) logger.debug({ database: config.analytics.database.kind }, 'question log open');
    return analytics;
  } catch (error) {
    logger.error(
      { err: scrubSecrets(error instanceof Error ? error.message : String(error)) },
      'question log unavailable: running without recording questions',
    );
    return disabledAnalytics();
  }
}

/** Writes what is queued and closes the database, giving up (logged) when the budget runs out. */
async function closeWithin(analytics: Analytics, budgetMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = analytics.close().then(
    () => true,
    (error: unknown) => {
      logger.warn({ err: scrubSecrets(String(error)) }, 'question log did not close cleanly');
      return true;
    },
  );
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, budgetMs));
  });
  const done = await Promise.race([closed, expired]);
  clearTimeout(timer);
  if (!done)
    logger.warn(
      { budgetMs, queued: analytics.stats().queued },
      'question log not closed within the stop budget',
    );
}
