import { commands } from '../commands/index.ts';
import { runConsoleChat } from './adapters/console/chat.ts';
import type { PlatformDeps, RunningPlatform } from './adapters/platform.ts';
import { runMain } from './cli/run-main.ts';
import { type AppConfig, loadConfig } from './config.ts';
import { loadKnowledge } from './core/knowledge.ts';
import { createQaService } from './core/service.ts';
import { createLogger, scrubSecrets } from './logger.ts';

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

  if (enabled.length === 0) {
    await runConsoleChat({
      service,
      commands,
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
    });
    return;
  }

  const deps: PlatformDeps = { service, commands, logger, rateLimitPerMinute: config.rateLimitPerMinute };
  const running: RunningPlatform[] = [];
  let stopping = false;
  const stopAll = async (reason: string) => {
    await Promise.allSettled(running.map((p) => p.stop(reason)));
  };

  // A rejected promise or a throw in one conversation is logged, never fatal.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: scrubSecrets(String(reason)) }, 'unhandled rejection');
  });

  try {
    for (const platform of enabled) {
      const started = await platform.start(config, deps);
      running.push(started);
      logger.info({ platform: platform.name }, 'platform started');
      // A platform that dies on its own (another instance took over, the token was revoked) must
      // not leave a process that looks alive: stop everything and exit non-zero for the supervisor.
      void started.crashed?.then((error) => {
        if (stopping) return; // a platform closing because we asked it to is not a crash
        stopping = true;
        logger.fatal(
          { platform: platform.name, err: scrubSecrets(error.message) },
          'platform stopped serving',
        );
        void stopAll('platform crashed').then(() => process.exit(1));
      });
    }
  } catch (error) {
    await stopAll('start-up failed');
    throw error;
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing in-flight replies');
      void stopAll(signal).then(() => process.exit(0));
    });
  }
});
