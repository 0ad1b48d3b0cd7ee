import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { NO_MENTIONS } from './render.ts';

/**
 * The discord.js Client, configured for what this bot does and nothing more:
 * - intents: guilds (channel cache, so guild messages are delivered), guild messages and DMs.
 *   No privileged intent: messages that mention the bot, and DMs, carry their content anyway.
 * - Partials.Channel: DM channels are not cached in advance, and DMs are dropped without it.
 * - caches: no messages, members, presences, reactions, emojis... The bot answers and forgets,
 *   so memory stays flat in large servers. Guilds and channels stay: guild messages need them.
 */
export function createDiscordClient(config: Pick<DiscordConfig, 'apiRoot'>): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    // A default for every message; each payload also sets it explicitly.
    allowedMentions: NO_MENTIONS,
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      ThreadMemberManager: 0,
      VoiceStateManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      EntitlementManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      // Archived threads are of no use to a bot that only answers in place.
      threads: { interval: 3_600, lifetime: 3_600 },
    },
    rest: config.apiRoot ? { api: config.apiRoot } : {},
  });
}
