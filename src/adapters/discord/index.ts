import { setMaxListeners } from 'node:events';
import { ChannelType, type Client, Events, GatewayCloseCodes } from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { ConversationLayer } from '../../conversation/layer.ts';
import { RateLimiter } from '../../conversation/rate-limit.ts';
import type { PlatformDeps, RunningPlatform } from '../platform.ts';
import { PlatformError } from '../platform-error.ts';
import { createDiscordClient } from './client.ts';
import type { HandlerContext } from './context.ts';
import { DISCORD_DEFAULTS as D, type DiscordKnobs } from './defaults.ts';
import { discordError, explainLoginError, isForeignApplication } from './errors.ts';
import { guardGatewayEvents } from './gateway-guard.ts';
import { handleInteraction } from './interactions.ts';
import { inviteUrl } from './invite.ts';
import { handleMessage } from './messages.ts';
import { reconcileCommands } from './registration.ts';
import { type ArticleSource, SuggestionCodec } from './render.ts';

/** Knobs for tests and benchmarks; production uses DISCORD_DEFAULTS (defaults.ts, which explains each). */
export type DiscordAdapterOptions = Partial<DiscordKnobs>;

function attachListeners(client: Client, logger: PlatformDeps['logger']): void {
  // Without an 'error' listener an EventEmitter error would crash the process.
  client.on(Events.Error, (error) =>
    logger.error({ err: discordError(error, 'client').describe() }, 'discord: client error'),
  );
  client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord: warning'));
  client.on(Events.ShardError, (error, shard) =>
    logger.error({ err: discordError(error, 'gateway').describe(), shard }, 'discord: gateway error'),
  );
  client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'discord: gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) =>
    logger.info({ shard, replayed }, 'discord: gateway session resumed'),
  );
  // Known limits: discord.js waits before sending.
  client.rest.on('rateLimited', (info) =>
    logger.warn(
      {
        route: info.route,
        method: info.method,
        retryAfterMs: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'discord: rate limited by the REST API; the request waits and retries',
    ),
  );
  // An unexpected 429 is only reported as a debug line; listening to 'response' instead would
  // clone every response body. The line's URL carries tokens, so only the route template is kept.
  client.rest.on('restDebug', (line) => {
    if (!line.includes('Encountered unexpected 429')) return;
    const field = (name: string) => new RegExp(`${name}\\s*: (.*)`).exec(line)?.[1]?.trim();
    logger.warn(
      {
        route: field('Bucket'),
        method: field('Method'),
        retryAfterMs: Number.parseInt(field('Retry After') ?? '', 10),
        global: field('Global') === 'true',
        scope: field('Scope'),
      },
      'discord: rate limited by the REST API (429); the request waits and retries',
    );
  });
}

/** The article's publisher, headline and (when the knowledge base gives one) address. */
function articleSource(service: PlatformDeps['service']): ArticleSource {
  const { publisher, headline, url } = service.article;
  return { publisher, headline, ...(url ? { url } : {}) };
}

/**
 * Logs in, serves slash commands, buttons, mentions and DMs, and checks the registered commands.
 * Rejects with a PlatformError (clear message, hint) when the token or the API is wrong.
 */
export async function startDiscord(
  config: DiscordConfig,
  deps: PlatformDeps,
  options: DiscordAdapterOptions = {},
): Promise<RunningPlatform> {
  const logger = deps.logger.child({ platform: 'discord' });
  const knobs = { ...D, ...options };
  const client = createDiscordClient(config);
  // Aborted when stop() stops waiting: pending retries give up rather than outlive the client.
  const stopping = new AbortController();
  // Every pending retry listens to it: hundreds during an outage is expected, not a leak.
  setMaxListeners(0, stopping.signal);
  const retry = {
    budgetMs: knobs.sendRetryBudgetMs,
    firstDelayMs: knobs.retryFirstDelayMs,
    maxDelayMs: knobs.retryMaxDelayMs,
    signal: stopping.signal,
  };
  // Filled in once the registered commands are read below; until then help writes "/quote".
  const commandIds = new Map<string, string>();
  const ctx: HandlerContext = {
    service: deps.service,
    layer: deps.layer ?? new ConversationLayer(deps.service, deps.commands),
    commands: new Map(deps.commands.map((command) => [command.name, command])),
    logger,
    limiter: deps.limiter ?? new RateLimiter({ points: deps.rateLimitPerMinute, windowMs: 60_000 }),
    render: {
      source: articleSource(deps.service),
      codec: new SuggestionCodec(),
      commandIds,
      quotesPerPage: knobs.quotesPerPage,
    },
    deferAfterMs: knobs.deferAfterMs,
    interactionWindowMs: knobs.interactionWindowMs,
    retry,
  };

  const inFlight = new Set<Promise<void>>();
  let accepting = true;
  const track = (work: Promise<void>) => {
    // The handlers log their own failures; this is the last line, so nothing rejects unhandled.
    const settled = work
      .catch((error: unknown) =>
        logger.error({ err: discordError(error, 'event handler').describe() }, 'discord: handler failed'),
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  guardGatewayEvents(client, { logger, retry, interactionWindowMs: knobs.interactionWindowMs });
  attachListeners(client, logger);
  client.on(Events.InteractionCreate, (interaction) => {
    if (accepting) track(handleInteraction(ctx, interaction));
  });
  client.on(Events.MessageCreate, (message) => {
    if (accepting) track(handleMessage(ctx, message));
  });

  // discord.js reconnects by itself except after these; then the process must not look alive.
  let reportCrash: (error: PlatformError) => void = () => undefined;
  const crashed = new Promise<PlatformError>((resolve) => {
    reportCrash = resolve;
  });
  client.on(Events.ShardDisconnect, (event, shard) => {
    const revoked = event.code === GatewayCloseCodes.AuthenticationFailed;
    const name = GatewayCloseCodes[event.code] ?? 'unknown';
    logger.error({ code: event.code, shard }, 'discord: gateway closed and will not reconnect');
    reportCrash(
      new PlatformError({
        platform: 'discord',
        method: 'gateway',
        code: event.code,
        message: revoked
          ? 'Discord closed the gateway (4004): DISCORD_TOKEN was reset or revoked'
          : `Discord closed the gateway (${event.code} ${name}) and will not reconnect`,
      }),
    );
  });
  client.on(Events.Invalidated, () => {
    logger.error('discord: session invalidated by Discord');
    reportCrash(
      new PlatformError({
        platform: 'discord',
        method: 'gateway',
        message: 'Discord invalidated the session and the client will not reconnect',
      }),
    );
  });

  const apiRoot = config.apiRoot ?? 'https://discord.com/api';
  // A plain listener rather than events.once: if login fails it simply never fires, and nothing rejects unhandled.
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    await client.destroy();
    throw explainLoginError(error, apiRoot);
  }
  logger.info(
    { user: client.user?.tag, guilds: client.guilds.cache.size, apiRoot },
    'discord: logged in and listening',
  );
  if (client.application && client.application.id !== config.applicationId) {
    logger.warn(
      { expected: config.applicationId, actual: client.application.id },
      'discord: DISCORD_APPLICATION_ID does not belong to this token; commands would be registered elsewhere',
    );
  }
  if (client.guilds.cache.size === 0) {
    // Nobody can reach a bot that shares no server with them: say how to add it.
    logger.warn(
      { inviteUrl: inviteUrl(client.application?.id ?? config.applicationId) },
      'discord: the bot is in no server yet; open the invite URL (also printed by `npm run invite-url`) to add it',
    );
  }

  try {
    const status = await reconcileCommands(
      client.rest,
      { applicationId: config.applicationId, ...(config.guildId ? { guildId: config.guildId } : {}) },
      deps.commands,
      { sync: config.syncCommands, logger },
    );
    for (const [name, id] of status.commandIds) commandIds.set(name, id);
  } catch (error) {
    // Serving must not depend on the check: a bad definition or a REST hiccup is logged, not fatal.
    logger.error(
      { err: discordError(error, 'check registered commands').describe() },
      isForeignApplication(error)
        ? 'discord: could not check the registered slash commands: Missing Access: the application id does not belong to this token (DISCORD_APPLICATION_ID)'
        : 'discord: could not check the registered slash commands',
    );
  }

  const dmSweep = setInterval(() => {
    client.channels.cache.sweep((channel) => channel.type === ChannelType.DM);
  }, knobs.dmSweepIntervalMs);
  dmSweep.unref();

  let stopped: Promise<void> | undefined;
  let abandoned = 0;
  return {
    name: 'discord',
    crashed,
    inFlight: () => inFlight.size,
    abandoned: () => abandoned,
    stop(reason: string, budgetMs?: number): Promise<void> {
      stopped ??= (async () => {
        accepting = false;
        logger.info({ reason, inFlight: inFlight.size }, 'discord: stopping');
        clearInterval(dmSweep);
        // Within main's budget, keeping a fifth of it for closing the gateway and REST.
        const waitMs = Math.min(knobs.stopTimeoutMs, budgetMs === undefined ? Infinity : budgetMs * 0.8);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, waitMs);
          }),
        ]);
        clearTimeout(timer);
        stopping.abort();
        abandoned = inFlight.size;
        if (abandoned) logger.warn({ inFlight: abandoned }, 'discord: stopping with replies still in flight');
        await client.destroy();
        logger.info('discord: stopped');
      })();
      return stopped;
    },
  };
}
