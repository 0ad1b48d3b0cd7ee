import { type Message, MessageFlags } from 'discord.js';
import { parseCommandText } from '../../conversation/command-text.ts';
import type { Sender, Turn } from '../../conversation/layer.ts';
import type { HandlerContext } from './context.ts';
import { type Attempted, givenUpReason, withRetries } from './delivery.ts';
import { discordError } from './errors.ts';
import { type DiscordMessage, type RenderOptions, renderNote, renderReply } from './render.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/** Removes mentions of the bot itself, so "@bot who is Kirby?" asks "who is Kirby?". */
export function stripBotMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, ' ').replaceAll(`<@!${botId}>`, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Whose conversation a message belongs to: a DM channel is one; in a server channel each user is
 * their own, so two people asking at once never share context. Slash commands use the same keys.
 */
export function conversationKey(
  place: { channelId: string; guildId: string | null },
  userId: string,
): string {
  return place.guildId
    ? `discord:${place.guildId}:${place.channelId}:${userId}`
    : `discord:dm:${place.channelId}`;
}

/** The verdict for a message that does not count against the rate limit. */
const FREE = { allowed: true } as const;

/** Who sent a message or an interaction where, for the layer (and the question log's pseudonyms). */
export function senderOf(place: { channelId: string; guildId: string | null }, userId: string): Sender {
  return { platform: 'discord', user: userId, conversation: conversationKey(place, userId) };
}

/** A Discord user's key in the shared rate limit (one budget per user, whichever channel). */
export const limiterKey = (userId: string) => `discord:${userId}`;

/** The layer's id for one of the bot's messages, to resume its context when someone replies to it. */
export const replyId = (messageId: string) => `discord:${messageId}`;

/**
 * Remembers a turn's context under the bot message that shows it (a reply, or an interaction's
 * response), so replying to that message later resumes there. An ephemeral message cannot be
 * replied to, so it is not kept. Never rejects: the answer is out, only its context is lost.
 */
export async function keepContext(
  ctx: HandlerContext,
  from: Sender,
  shown: Message,
  turn: Turn,
): Promise<void> {
  if (shown.flags.has(MessageFlags.Ephemeral)) return;
  await ctx.layer
    .sent(from.conversation, replyId(shown.id), turn.context)
    .catch((error: unknown) =>
      ctx.logger.warn(
        { err: discordError(error, 'keep reply context').describe(), messageId: shown.id },
        'discord: reply context not kept',
      ),
    );
}

/** The message's text through the conversation layer ("/quote kirby" typed works as the command). */
async function answer(ctx: HandlerContext, message: Message, text: string): Promise<Turn> {
  const from = senderOf(message, message.author.id);
  if (!text) return ctx.layer.handleTurn({ kind: 'greeting', ...from });
  const replyTo = message.reference?.messageId;
  return ctx.layer.handleTurn({
    kind: 'text',
    ...from,
    text,
    ...(replyTo ? { replyTo: replyId(replyTo) } : {}),
  });
}

/**
 * What the reply shows besides itself: the question asked (on a "did you mean" or a decline), or,
 * for a typed command without arguments ("/quote"), pages of its list, as the slash command has.
 */
function renderOptions(ctx: HandlerContext, text: string): RenderOptions {
  const typed = parseCommandText(text);
  if (!typed) return text ? { asked: text } : {};
  const command = ctx.commands.get(typed.name);
  if (!command) return {};
  if (!typed.rest) return { pager: { command: command.name } };
  return command.question ? { asked: typed.rest } : {};
}

/**
 * The nonce of the one reply a message gets (answer or cooldown note), and of its apology.
 * Derived from the message id, so every retry, and any other instance answering the same
 * message, carries the same nonce, and Discord (enforce_nonce) creates the reply at most once.
 * Snowflakes have at most 20 digits; Discord allows 25 characters.
 */
const replyNonce = (message: Message) => message.id;
const apologyNonce = (message: Message) => `${message.id}-x`;

/**
 * Sends one reply, retrying 5xx, resets and timeouts within the budget. Safe to repeat thanks
 * to the fixed nonce. Never throws: the outcome says whether the user may have seen it.
 */
async function send(
  ctx: HandlerContext,
  message: Message,
  payload: DiscordMessage,
  nonce: string,
  what: 'answer' | 'apology',
): Promise<Attempted<Message>> {
  const outcome = await withRetries(
    () => message.reply({ ...payload, nonce, enforceNonce: true }),
    ctx.retry,
    Date.now() + ctx.retry.budgetMs,
    (retry) =>
      ctx.logger.warn(
        {
          err: discordError(retry.error, 'reply').describe(),
          messageId: message.id,
          what,
          attempt: retry.attempt,
          retryInMs: retry.delayMs,
        },
        'discord: send failed; retrying',
      ),
  );
  if (!outcome.ok) {
    ctx.logger.error(
      {
        err: discordError(outcome.error, 'reply').describe(),
        messageId: message.id,
        user: message.author.id,
        guild: message.guildId,
        what,
        reason: givenUpReason(outcome),
        attempts: outcome.attempts,
      },
      'discord: reply given up',
    );
  }
  return outcome;
}

/**
 * A DM, or a server message that mentions the bot, is a question; the bot replies to it.
 * Messages from bots (including itself), webhooks and system messages are ignored. Never
 * rejects: every failure is logged here, and the user gets at most one apology, only when
 * nothing else can have reached them.
 */
export async function handleMessage(ctx: HandlerContext, message: Message): Promise<void> {
  const botId = message.client.user.id;
  // The gateway guard drops authorless messages already; this keeps the handler safe on its own.
  if (!message.author || message.author.bot || message.system || message.webhookId) return;
  if (message.inGuild() && !message.mentions.users.has(botId)) return;
  let reply: DiscordMessage;
  let turn: Turn | undefined;
  try {
    const text = stripBotMention(message.content, botId);
    // "/help" or "/about" typed (or a bare mention) is free, as the slash commands are.
    const counts = ctx.layer.countsTowardsLimit(
      text
        ? { kind: 'text', ...senderOf(message, message.author.id), text }
        : { kind: 'greeting', ...senderOf(message, message.author.id) },
    );
    const verdict = counts ? await ctx.limiter.take(limiterKey(message.author.id)) : FREE;
    if (verdict.allowed) {
      turn = await answer(ctx, message, text);
      reply = renderReply(turn.reply, ctx.render, {
        ...renderOptions(ctx, text),
        ...(turn.eventId ? { eventId: turn.eventId } : {}),
      });
    } else if (verdict.firstRefusal) {
      // Messages cannot be ephemeral: say it once per window, then stay quiet instead of spamming.
      reply = renderNote(T.cooldown(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))));
    } else {
      return;
    }
  } catch (error) {
    ctx.logger.error(
      {
        err: discordError(error, 'answer message').describe(),
        messageId: message.id,
        user: message.author.id,
        guild: message.guildId,
      },
      'discord: message answer failed',
    );
    await send(ctx, message, renderNote(T.failure), apologyNonce(message), 'apology');
    return;
  }
  const sent = await send(ctx, message, reply, replyNonce(message), 'answer');
  if (sent.ok && turn) await keepContext(ctx, senderOf(message, message.author.id), sent.value, turn);
  // Refused outright (e.g. 400): nothing was shown, so say sorry. After an ambiguous failure the
  // answer may be on screen, and an apology under it would be wrong; the give-up is logged.
  if (!sent.ok && sent.failure === 'rejected' && !sent.mayHaveLanded) {
    await send(ctx, message, renderNote(T.failure), apologyNonce(message), 'apology');
  }
}
