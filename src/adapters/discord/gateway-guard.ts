import { type Client, InteractionResponseType, InteractionType, MessageFlags, Routes } from 'discord.js';
import * as v from 'valibot';
import type { Logger } from '../../logger.ts';
import { type RetrySettings, withRetries } from './delivery.ts';
import { discordError } from './errors.ts';
import { NO_MENTIONS } from './render.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/**
 * discord.js builds its Interaction and Message objects inside the gateway's packet handler and
 * dereferences fields without checking them (`data.member.user`, `data.data.type`,
 * `data.data.options.map`, `data.entitlements.reduce`...). A malformed packet therefore throws
 * there, before any listener runs, and the throw surfaces as an unhandled rejection of
 * @discordjs/ws's message handler: no response, and noise in the logs. So the packets this bot
 * acts on are checked before discord.js sees them, at the one place every packet passes:
 * `client.actions.<Event>.handle(data)`, called by the INTERACTION_CREATE and MESSAGE_CREATE
 * packet handlers. (A 'raw' listener is too late: it cannot stop the packet handler.)
 *
 * A malformed interaction is answered deliberately when it can be (an ephemeral apology, or no
 * choices for autocomplete), so the user never sees "The application did not respond"; a
 * malformed message is ignored, since without an author the bot cannot tell whether replying
 * could start a loop with another bot. Both are logged with what was wrong, never the token.
 */

const Snowflake = v.pipe(v.string(), v.regex(/^\d{1,20}$/, 'must be a snowflake'));
const UserRef = v.looseObject({ id: Snowflake });

const OptionList: v.GenericSchema = v.array(
  v.looseObject({
    name: v.string(),
    type: v.number(),
    options: v.optional(v.lazy(() => OptionList)),
  }),
);

const CommandData = v.looseObject({
  id: v.optional(v.string()),
  name: v.string(),
  type: v.number(),
  options: v.optional(OptionList),
  resolved: v.optional(v.looseObject({})),
});

const ComponentData = v.looseObject({ custom_id: v.string(), component_type: v.number() });

const InteractionBase = v.looseObject({
  id: Snowflake,
  token: v.pipe(v.string(), v.nonEmpty()),
  application_id: Snowflake,
  type: v.number(),
  user: v.optional(UserRef),
  member: v.optional(v.looseObject({ user: UserRef })),
  entitlements: v.array(v.unknown()),
  channel: v.optional(v.looseObject({ id: Snowflake, type: v.number() })),
});

function interactionProblems(data: unknown): string[] {
  const problems = issues(InteractionBase, data);
  const packet = (data ?? {}) as { user?: unknown; member?: unknown; type?: unknown; data?: unknown };
  if (packet.user === undefined && packet.member === undefined)
    problems.push('user: neither user nor member');
  switch (packet.type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete:
      problems.push(...issues(CommandData, packet.data, 'data'));
      break;
    case InteractionType.MessageComponent:
      problems.push(...issues(ComponentData, packet.data, 'data'));
      problems.push(
        ...issues(v.looseObject({ id: Snowflake }), (data as { message?: unknown }).message, 'message'),
      );
      break;
    default:
      // Other types are not served; discord.js ignores unknown ones itself.
      break;
  }
  return problems;
}

const MessagePacket = v.looseObject({
  id: Snowflake,
  channel_id: Snowflake,
  author: v.looseObject({ id: Snowflake, username: v.string() }),
  content: v.string(),
  mentions: v.array(UserRef),
  type: v.number(),
});

function issues(schema: v.GenericSchema, value: unknown, prefix = ''): string[] {
  const result = v.safeParse(schema, value);
  if (result.success) return [];
  return result.issues.map((issue) => {
    const path = [prefix, v.getDotPath(issue)].filter(Boolean).join('.');
    return `${path || '(packet)'}: ${issue.message}`;
  });
}

export interface GuardOptions {
  readonly logger: Logger;
  readonly retry: RetrySettings;
  readonly interactionWindowMs: number;
}

interface Action {
  handle(data: unknown): unknown;
}

/** Installs the checks on `client`'s INTERACTION_CREATE and MESSAGE_CREATE actions. */
export function guardGatewayEvents(client: Client, options: GuardOptions): void {
  // `actions` is private in discord.js's typings; it is the only hook between packet and object.
  const actions = (client as unknown as { actions: Record<string, Action | undefined> }).actions;
  const interactions = actions.InteractionCreate;
  const messages = actions.MessageCreate;
  if (!interactions || !messages)
    throw new Error('discord.js internals changed: no gateway actions to guard');

  const handleInteraction = interactions.handle.bind(interactions);
  interactions.handle = (data: unknown) => {
    const problems = interactionProblems(data);
    if (!problems.length) {
      try {
        return handleInteraction(data);
      } catch (error) {
        // A shape the checks above do not cover; the same deliberate answer.
        problems.push(`discord.js could not read it: ${discordError(error, 'read gateway event').reason}`);
      }
    }
    void answerMalformed(client, data, problems, options);
    return undefined;
  };

  const handleMessage = messages.handle.bind(messages);
  messages.handle = (data: unknown) => {
    const problems = issues(MessagePacket, data);
    if (!problems.length) {
      try {
        return handleMessage(data);
      } catch (error) {
        problems.push(`discord.js could not read it: ${discordError(error, 'read gateway event').reason}`);
      }
    }
    const packet = (data ?? {}) as { id?: unknown; channel_id?: unknown };
    options.logger.warn(
      { messageId: String(packet.id), channelId: String(packet.channel_id), problems },
      'discord: malformed message ignored',
    );
    return {};
  };
}

/** An ephemeral apology (or no choices, for autocomplete) when the packet says where to send it. */
async function answerMalformed(
  client: Client,
  data: unknown,
  problems: readonly string[],
  options: GuardOptions,
): Promise<void> {
  const packet = (data ?? {}) as { id?: unknown; token?: unknown; type?: unknown };
  const { id, token, type } = packet;
  const where = { interactionId: String(id), type, problems };
  const answerable =
    typeof id === 'string' &&
    /^\d{1,20}$/.test(id) &&
    typeof token === 'string' &&
    /^[\w.-]+$/.test(token) &&
    (type === InteractionType.ApplicationCommand ||
      type === InteractionType.MessageComponent ||
      type === InteractionType.ApplicationCommandAutocomplete ||
      type === InteractionType.ModalSubmit);
  if (!answerable) {
    options.logger.warn(where, 'discord: malformed interaction ignored (nowhere to answer)');
    return;
  }
  const body =
    type === InteractionType.ApplicationCommandAutocomplete
      ? { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } }
      : {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: {
            content: T.failure,
            flags: MessageFlags.Ephemeral,
            allowed_mentions: { parse: NO_MENTIONS.parse, replied_user: NO_MENTIONS.repliedUser },
          },
        };
  options.logger.warn(where, 'discord: malformed interaction; answering with an apology');
  // The token authenticates the callback; an interaction's first response may be repeated safely.
  const outcome = await withRetries(
    () => client.rest.post(Routes.interactionCallback(id, token), { body, auth: false }),
    options.retry,
    Date.now() + options.interactionWindowMs,
    () => undefined,
  );
  if (!outcome.ok && outcome.failure !== 'acknowledged') {
    options.logger.warn(
      { err: discordError(outcome.error, 'answer malformed interaction').describe(), interactionId: id },
      'discord: could not answer the malformed interaction',
    );
  }
}
