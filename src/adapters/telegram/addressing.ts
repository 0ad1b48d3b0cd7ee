import type { Chat, Message, MessageEntity } from 'telegraf/types';

/**
 * Who a message is for. In private chats every message is for the bot; in groups only commands,
 * replies to the bot's own messages and messages that mention it are, so the bot stays silent
 * in ordinary chatter. (With privacy mode on, Telegram delivers only commands and replies to
 * the bot anyway; mentions arrive when privacy mode is off or the bot is an admin.)
 */

export interface BotIdentity {
  readonly id: number;
  readonly username: string;
}

export interface ParsedCommand {
  /** Lower-cased command name without the slash or @username. */
  readonly name: string;
  /** Text after the command, trimmed. */
  readonly payload: string;
  /** Written as /name@OurBot, so it is unambiguously ours even in a group with other bots. */
  readonly explicit: boolean;
}

type TextMessage = Message.TextMessage;

export const isPrivate = (message: { readonly chat: Pick<Chat, 'type'> }) => message.chat.type === 'private';

/**
 * A command at the start of the message, or undefined. A command addressed to another bot
 * (/ask@OtherBot) yields undefined: it is someone else's.
 */
export function parseCommand(message: TextMessage, bot: BotIdentity): ParsedCommand | undefined {
  const entity = message.entities?.[0];
  if (entity?.type !== 'bot_command' || entity.offset !== 0) return undefined;
  const [command = '', target] = message.text.slice(1, entity.length).split('@');
  if (target !== undefined && target.toLowerCase() !== bot.username.toLowerCase()) return undefined;
  return {
    name: command.toLowerCase(),
    payload: message.text.slice(entity.length).trim(),
    explicit: target !== undefined,
  };
}

function mentionsBot(entity: MessageEntity, text: string, bot: BotIdentity): boolean {
  if (entity.type === 'text_mention') return entity.user.id === bot.id;
  if (entity.type !== 'mention') return false;
  return (
    text.slice(entity.offset, entity.offset + entity.length).toLowerCase() ===
    `@${bot.username.toLowerCase()}`
  );
}

/** The message text with the bot's mentions removed (they are addressing, not the question). */
function withoutMentions(message: TextMessage, bot: BotIdentity): { text: string; mentioned: boolean } {
  const mentions = (message.entities ?? []).filter((entity) => mentionsBot(entity, message.text, bot));
  let text = message.text;
  // Right to left, so earlier offsets stay valid while cutting.
  for (const entity of [...mentions].sort((a, b) => b.offset - a.offset)) {
    text = text.slice(0, entity.offset) + text.slice(entity.offset + entity.length);
  }
  return { text: text.replace(/\s+/g, ' ').trim(), mentioned: mentions.length > 0 };
}

/** The id of the bot's own message this one replies to, or undefined. */
export function repliedBotMessage(message: TextMessage, bot: BotIdentity): number | undefined {
  const target = message.reply_to_message;
  if (!target || target.from?.id !== bot.id) return undefined;
  // In forum topics every message "replies" to the topic's first message; that is not a reply.
  if (message.is_topic_message && target.message_id === message.message_thread_id) return undefined;
  return target.message_id;
}

/** Starts with a command written for another bot (/ask@OtherBot): never ours to answer in a group. */
export function commandForOtherBot(message: TextMessage, bot: BotIdentity): boolean {
  const entity = message.entities?.[0];
  return entity?.type === 'bot_command' && entity.offset === 0 && parseCommand(message, bot) === undefined;
}

/**
 * The question a non-command text message asks the bot, or undefined when the message is not
 * addressed to it.
 */
export function questionFor(message: TextMessage, bot: BotIdentity): string | undefined {
  const { text, mentioned } = withoutMentions(message, bot);
  if (isPrivate(message) || mentioned || repliedBotMessage(message, bot) !== undefined) return text;
  return undefined;
}

/** Deep-link payloads allow only [A-Za-z0-9_-]: t.me/Bot?start=who_is_kirby asks "who is kirby". */
export function deepLinkQuestion(payload: string): string {
  return payload.replace(/_/g, ' ').trim();
}
