import { type Telegraf, type Telegram, TelegramError } from 'telegraf';
import type { CallbackQuery, InlineKeyboardMarkup, InlineQuery, Message } from 'telegraf/types';
import type { Command } from '../../../commands/types.ts';
import { choiceOf, choicePayload, feedbackOf, feedbackPayload } from '../../conversation/buttons.ts';
import type { ConversationLayer, IncomingEvent, Sender, Turn } from '../../conversation/layer.ts';
import type { RateLimiter } from '../../conversation/rate-limit.ts';
import { LAYER_TEXTS } from '../../conversation/texts.ts';
import type { Reply } from '../../core/reply.ts';
import type { PreviousTurn, QaService } from '../../core/service.ts';
import type { Logger } from '../../logger.ts';
import {
  type BotIdentity,
  commandForOtherBot,
  deepLinkQuestion,
  isPrivate,
  parseCommand,
  questionFor,
  repliedBotMessage,
} from './addressing.ts';
import { BotApiTransportError, type Delivery } from './bot-api-client.ts';
import { conversationKey, type Place, replyId } from './conversation-keys.ts';
import type { TelegramTuning } from './defaults.ts';
import { telegramError } from './errors.ts';
import { answerResults, topicResults } from './inline.ts';
import type { RecentUpdates } from './recent-updates.ts';
import { type Outgoing, renderMessages, replyToOutgoing, truncateLabel } from './render.ts';
import { TELEGRAM_TEXTS } from './texts.ts';

/**
 * Update handlers: each turns one Telegram update into a neutral event for the conversation layer
 * (which keeps context and reads command text), and the neutral reply into Bot API calls. They read the raw update objects and call the API through
 * `api` (bot.telegram, whose calls go over our client and are retried), so they never touch
 * telegraf's per-update Telegram instance, which would bypass both.
 */
export interface HandlerContext {
  readonly service: QaService;
  /** Messages, commands and buttons go through it, never straight to the core (inline mode aside). */
  readonly layer: ConversationLayer;
  readonly commands: ReadonlyMap<string, Command>;
  readonly logger: Logger;
  readonly api: Telegram;
  readonly me: BotIdentity;
  /** getMe's supports_inline_queries: whether "@Bot question" works in other chats. */
  readonly inlineMode: boolean;
  /** The text last answered per message ("chat:message"), so an edit is answered once. */
  readonly answered: RecentUpdates<string, string>;
  readonly questions: RateLimiter;
  readonly inline: RateLimiter;
  readonly tuning: TelegramTuning;
}

interface SendOptions {
  readonly replyTo?: number;
  readonly threadId?: number;
  /** The conversation the reply belongs to: replying to any part later resumes its context. */
  readonly conversation?: string;
}

const plain = (text: string): Outgoing => ({
  blocks: [{ kind: 'text', text }],
  suggestions: [],
  clarify: false,
});

function keyboard(h: HandlerContext, outgoing: Outgoing): InlineKeyboardMarkup | undefined {
  const rows = outgoing.suggestions.slice(0, h.tuning.maxSuggestionButtons).map((suggestion) => [
    {
      text: truncateLabel(suggestion.label, h.tuning.buttonLabelLimit),
      callback_data: choicePayload(suggestion.entryId, outgoing.clarify),
    },
  ]);
  // 👍 / 👎 on a row of their own under an answer's suggestions.
  if (outgoing.eventId) {
    rows.push([
      { text: LAYER_TEXTS.feedbackUp, callback_data: feedbackPayload(outgoing.eventId, 1) },
      { text: LAYER_TEXTS.feedbackDown, callback_data: feedbackPayload(outgoing.eventId, -1) },
    ]);
  }
  return rows.length ? { inline_keyboard: rows } : undefined;
}

/** A turn as Telegram sends it: the reply's blocks and buttons, its context, its event id. */
function turnToOutgoing(h: HandlerContext, turn: Turn): Outgoing {
  return {
    ...replyToOutgoing(turn.reply, h.service.article),
    ...(turn.context ? { context: turn.context } : {}),
    ...(turn.eventId ? { eventId: turn.eventId } : {}),
  };
}

/** Who sent a message or pressed a button, for the layer (and the question log's pseudonyms). */
const senderOf = (conversation: string, userId: number): Sender => ({
  platform: 'telegram',
  user: String(userId),
  conversation,
});

const HTML = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

async function send(
  h: HandlerContext,
  chatId: number,
  outgoing: Outgoing,
  options: SendOptions = {},
): Promise<void> {
  const messages = renderMessages(outgoing.blocks, h.tuning.messageLimit);
  const markup = keyboard(h, outgoing);
  for (const [i, html] of messages.entries()) {
    const sent = await h.api.sendMessage(chatId, html, {
      ...HTML,
      ...(i === 0 && options.replyTo !== undefined
        ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } }
        : {}),
      ...(options.threadId !== undefined ? { message_thread_id: options.threadId } : {}),
      // Buttons go under the last part, where the reader ends up.
      ...(i === messages.length - 1 && markup ? { reply_markup: markup } : {}),
    });
    if (options.conversation)
      await remember(h, options.conversation, chatId, sent.message_id, outgoing.context);
  }
}

/** Keeps the conversation's context under a delivered message, for replies to it. */
async function remember(
  h: HandlerContext,
  conversation: string,
  chatId: number,
  messageId: number,
  context: PreviousTurn | undefined,
) {
  await h.layer.sent(conversation, replyId(chatId, messageId), context).catch((error: unknown) => {
    // The reply is out; only "reply to this message" loses its context.
    h.logger.warn(
      { err: telegramError(error, 'keep reply context').describe(), chatId, messageId },
      'Reply context not kept',
    );
  });
}

/** In groups the answer replies to the asking message (or the button's), and stays in its forum topic. */
function sendOptionsFor(message: Place & { readonly message_id: number }): SendOptions {
  if (isPrivate(message)) return {};
  return {
    replyTo: message.message_id,
    ...(message.is_topic_message && message.message_thread_id !== undefined
      ? { threadId: message.message_thread_id }
      : {}),
  };
}

function welcome(h: HandlerContext): Outgoing {
  const { headline, publisher, url } = h.service.article;
  const body = TELEGRAM_TEXTS.welcomeBody(publisher);
  return {
    blocks: [
      { kind: 'text', text: TELEGRAM_TEXTS.welcomeGreeting },
      { kind: 'text', text: headline, bold: true, ...(url ? { url } : {}) },
      // Inline mode is only offered when Telegram has it on for this bot (@BotFather /setinline).
      { kind: 'text', text: h.inlineMode ? `${body} ${TELEGRAM_TEXTS.welcomeInline(h.me.username)}` : body },
    ],
    suggestions: h.service.examples(h.tuning.maxSuggestionButtons),
    clarify: false,
  };
}

/** A question command with no question ("/ask" alone): how to use it, with a real example. */
function usage(h: HandlerContext, command: Command): Outgoing {
  const example = command.example?.(h.service).trim();
  const invocation = `/${command.name}${example ? ` ${example}` : command.usage ? ` ${command.usage}` : ''}`;
  return {
    blocks: [{ kind: 'text', text: TELEGRAM_TEXTS.askUsage(invocation) }],
    suggestions: h.service.examples(h.tuning.maxSuggestionButtons),
    clarify: false,
  };
}

/** What a message asks for, computed when called; `free` when it does not count against the rate limit. */
type Request = (() => Promise<Outgoing>) & { readonly free?: boolean };

/**
 * What a text message asks for, or undefined when it is not for us. Nothing is computed yet.
 * Telegram's addressing (who a group message is for, /start payloads) is read here; everything
 * else is the layer's.
 */
function requestFor(
  h: HandlerContext,
  message: Message.TextMessage,
  conversation: string,
): Request | undefined {
  const through = (event: IncomingEvent): Request =>
    Object.assign(async () => turnToOutgoing(h, await h.layer.handleTurn(event)), {
      // Informational commands (help, about) are free: the layer says which.
      free: !h.layer.countsTowardsLimit(event),
    });
  const from = senderOf(conversation, message.from?.id ?? message.chat.id);
  const command = parseCommand(message, h.me);
  if (command?.name === 'start') {
    const question = deepLinkQuestion(command.payload);
    return question ? through({ kind: 'text', ...from, text: question }) : async () => welcome(h);
  }
  if (command) {
    const definition = h.commands.get(command.name);
    // In a group, a bare /unknown may be meant for another bot: only answer when addressed to us.
    if (!definition && !isPrivate(message) && !command.explicit) return undefined;
    if (definition?.question && !command.payload) return async () => usage(h, definition);
    // An unknown command gets the layer's help, as on every platform.
    const args = definition ? definition.parseText(h.service, command.payload) : {};
    return through({ kind: 'command', ...from, name: command.name, args });
  }
  if (!isPrivate(message) && commandForOtherBot(message, h.me)) return undefined;
  const text = questionFor(message, h.me);
  if (text === undefined) return undefined;
  // A bare mention is a greeting: the layer shows what the bot can do (as on Discord).
  if (!text) return through({ kind: 'greeting', ...from });
  const repliedTo = repliedBotMessage(message, h.me);
  return through({
    kind: 'text',
    ...from,
    text,
    ...(repliedTo !== undefined ? { replyTo: replyId(message.chat.id, repliedTo) } : {}),
  });
}

/** Other bots (and our own inline results posted back into a chat) are never questions. */
const fromABot = (h: HandlerContext, message: Message) =>
  message.from?.is_bot === true || ('via_bot' in message && message.via_bot?.id === h.me.id);

const answeredKey = (message: Message) => `${message.chat.id}:${message.message_id}`;

export async function onMessage(h: HandlerContext, message: Message): Promise<void> {
  if (fromABot(h, message)) return;
  const asker = message.from?.id ?? message.chat.id;
  const conversation = conversationKey(message, asker);
  let request: Request | undefined;
  if ('text' in message) request = requestFor(h, message, conversation);
  else if (isPrivate(message)) request = async () => plain(TELEGRAM_TEXTS.textOnly);
  if (!request) return;
  await answer(h, message, request, sendOptionsFor(message), conversation);
}

/**
 * An edited message is read again: people fix a typo in place and expect the fixed question
 * answered. The answer replies to the edited message (in private chats too), so it is clear
 * which question it answers. An edit that leaves the text as it was answered (a formatting-only
 * change, a second update for the same edit) gets nothing, so one text is answered once.
 */
export async function onEditedMessage(h: HandlerContext, message: Message): Promise<void> {
  if (fromABot(h, message) || !('text' in message)) return;
  if (h.answered.get(answeredKey(message)) === message.text) return;
  const conversation = conversationKey(message, message.from?.id ?? message.chat.id);
  const request = requestFor(h, message, conversation);
  if (!request) return;
  const options = { ...sendOptionsFor(message), replyTo: message.message_id };
  await answer(h, message, request, options, conversation);
}

/** Answers a message within the asker's rate limit, and remembers the text it answered. */
async function answer(
  h: HandlerContext,
  message: Message,
  request: Request,
  options: SendOptions,
  conversation: string,
): Promise<void> {
  if (!request.free) {
    const decision = await h.questions.take(limiterKey(message.from?.id ?? message.chat.id));
    if (!decision.allowed) {
      if (decision.firstRefusal)
        await send(
          h,
          message.chat.id,
          plain(TELEGRAM_TEXTS.slowDown(seconds(decision.retryAfterMs))),
          options,
        );
      return;
    }
  }
  const outgoing = await request();
  if ('text' in message) h.answered.remember(answeredKey(message), message.text);
  await send(h, message.chat.id, outgoing, { ...options, conversation });
}

/** A Telegram user's key in the shared rate limit. */
const limiterKey = (userId: number) => `telegram:${userId}`;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export async function onCallbackQuery(h: HandlerContext, query: CallbackQuery): Promise<void> {
  const vote = 'data' in query ? feedbackOf(query.data) : undefined;
  if (vote) {
    await onFeedback(h, query, vote);
    return;
  }
  const action = 'data' in query ? choiceOf(query.data) : undefined;
  if (!action) {
    await h.api.answerCbQuery(query.id, TELEGRAM_TEXTS.buttonExpired);
    return;
  }
  const decision = await h.questions.take(limiterKey(query.from.id));
  if (!decision.allowed) {
    // A toast, not a chat message: pressing a button repeatedly never floods the chat.
    await h.api.answerCbQuery(query.id, TELEGRAM_TEXTS.slowDownToast(seconds(decision.retryAfterMs)));
    return;
  }
  // Answer first so the button's spinner stops at once, whatever happens next.
  await h.api.answerCbQuery(query.id);
  const message = query.message;
  if (!message) return; // A button on an inline-mode message: we never attach any.

  // The presser's conversation: in a group, pressing someone else's button continues your own.
  const conversation = conversationKey(message, query.from.id);
  const turn = await h.layer.handleTurn({
    kind: 'choice',
    ...senderOf(conversation, query.from.id),
    entryId: action.entryId,
  });
  const outgoing = withPickedQuestion(turn.reply, turnToOutgoing(h, turn));
  const chatId = message.chat.id;
  if (action.clarifies && (await replaceChoice(h, chatId, message.message_id, outgoing))) {
    await remember(h, conversation, chatId, message.message_id, turn.context);
    return;
  }
  await send(h, chatId, outgoing, { ...sendOptionsFor(message), conversation });
}

/**
 * A 👍 / 👎: the layer records the vote, and its note comes back as a toast. Nothing is posted
 * (in a group a chat message per press would be noise), and a vote costs no rate-limit point.
 */
async function onFeedback(
  h: HandlerContext,
  query: CallbackQuery,
  vote: NonNullable<ReturnType<typeof feedbackOf>>,
): Promise<void> {
  const conversation = query.message
    ? conversationKey(query.message, query.from.id)
    : `inline:${query.from.id}`;
  const turn = await h.layer.handleTurn({
    kind: 'feedback',
    ...senderOf(conversation, query.from.id),
    ...vote,
  });
  await h.api.answerCbQuery(query.id, turn.reply.text);
}

/**
 * A button's answer starts with the question that was picked, in bold: the button stays on the
 * earlier message, so without it the answer would not say what it answers.
 */
function withPickedQuestion(reply: Reply, outgoing: Outgoing): Outgoing {
  if (reply.kind !== 'answer') return outgoing;
  return {
    ...outgoing,
    blocks: [{ kind: 'text', text: reply.matchedQuestion, bold: true }, ...outgoing.blocks],
  };
}

/**
 * A "did you mean" choice replaces the question message with the answer, keeping the chat
 * tidy. Returns false when that is not possible (answer too long, message too old to edit),
 * so the caller sends a new message instead.
 */
async function replaceChoice(h: HandlerContext, chatId: number, messageId: number, outgoing: Outgoing) {
  const messages = renderMessages(outgoing.blocks, h.tuning.messageLimit);
  const [html] = messages;
  if (html === undefined || messages.length > 1) return false;
  const markup = keyboard(h, outgoing);
  try {
    await h.api.editMessageText(chatId, messageId, undefined, html, {
      ...HTML,
      ...(markup ? { reply_markup: markup } : {}),
    });
    return true;
  } catch (error) {
    if (error instanceof TelegramError && error.code === 400) {
      h.logger.debug(
        { err: telegramError(error, 'editMessageText').describe() },
        'Could not edit the clarification; sending a new message',
      );
      return false;
    }
    throw error;
  }
}

export async function onInlineQuery(h: HandlerContext, query: InlineQuery): Promise<void> {
  const decision = await h.inline.take(limiterKey(query.from.id));
  const text = query.query.trim();
  const results = !decision.allowed
    ? []
    : text
      ? answerResults(h.service, text, h.tuning)
      : topicResults(h.service, h.tuning);
  // Nothing cached while rate-limited, so the user's next keystroke gets real results.
  await h.api.answerInlineQuery(query.id, results, {
    cache_time: decision.allowed ? h.tuning.inlineCacheSeconds : 0,
  });
}

const DELIVERY_NOTES: Record<Delivery, string> = {
  'not-sent': 'Reply lost: the Bot API could not be reached',
  unknown: 'Reply not confirmed: the connection failed after it was sent, so it may have been delivered',
  processed: "Reply delivered, but the Bot API's answer was lost",
};

export function installHandlers(bot: Telegraf, h: HandlerContext): void {
  bot.on('message', (ctx) => onMessage(h, ctx.message));
  bot.on('edited_message', (ctx) => onEditedMessage(h, ctx.editedMessage));
  bot.on('callback_query', (ctx) => onCallbackQuery(h, ctx.callbackQuery));
  bot.on('inline_query', (ctx) => onInlineQuery(h, ctx.inlineQuery));
  // Every other update type reaches no handler and is dropped.

  bot.catch(async (error, ctx) => {
    const update = {
      updateId: ctx.update.update_id,
      updateType: ctx.updateType,
      err: telegramError(error, 'handle update').describe(),
    };
    if (error instanceof TelegramError) {
      // The Bot API refused a call (after retries): nothing more to send; 403 means the user blocked us.
      h.logger.warn(update, 'Telegram refused a reply');
      return;
    }
    if (error instanceof BotApiTransportError) {
      // No apology: it would fail the same way, or, when the reply may have arrived, confuse the user.
      h.logger.warn({ ...update, delivery: error.delivery }, DELIVERY_NOTES[error.delivery]);
      return;
    }
    if (error instanceof Error && error.name === 'TimeoutError') {
      h.logger.warn(update, `Update took longer than ${h.tuning.handlerTimeoutMs} ms`);
      return;
    }
    h.logger.error(update, 'Failed to handle a Telegram update');
    if (ctx.chat) {
      await h.api.sendMessage(ctx.chat.id, TELEGRAM_TEXTS.internalError).catch((sendError: unknown) => {
        h.logger.warn(
          { err: telegramError(sendError, 'sendMessage').describe() },
          'Could not tell the user about the failure',
        );
      });
    }
  });
}
