import type { Message } from 'discord.js';
import type { Reply } from '../../core/reply.ts';
import type { HandlerContext } from './context.ts';
import { type Attempted, givenUpReason, withRetries } from './delivery.ts';
import { describeError } from './errors.ts';
import { type DiscordMessage, renderNote, renderReply } from './render.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/** Removes mentions of the bot itself, so "@bot who is Kirby?" asks "who is Kirby?". */
export function stripBotMention(content: string, botId: string): string {
  return content.replaceAll(`<@${botId}>`, ' ').replaceAll(`<@!${botId}>`, ' ').replace(/\s+/g, ' ').trim();
}

/** "/quote kirby" typed in a DM or after a mention runs that command, parsed from its text. */
function answer(ctx: HandlerContext, text: string): Reply {
  const typed = /^\/([a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text);
  const command = typed?.[1] ? ctx.commands.get(typed[1].toLowerCase()) : undefined;
  if (command) return command.run(ctx.service, command.parseText(ctx.service, typed?.[2] ?? ''));
  const help = ctx.commands.get('help');
  // A bare mention is a greeting: show what the bot can do rather than "I don't understand".
  if (!text && help) return help.run(ctx.service, {});
  return ctx.service.ask(text);
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
): Promise<Attempted<unknown>> {
  const outcome = await withRetries(
    () => message.reply({ ...payload, nonce, enforceNonce: true }),
    ctx.retry,
    Date.now() + ctx.retry.budgetMs,
    (retry) =>
      ctx.logger.warn(
        {
          err: describeError(retry.error),
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
        err: describeError(outcome.error),
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
  try {
    const verdict = ctx.cooldown.take(message.author.id);
    if (verdict.ok) {
      reply = renderReply(answer(ctx, stripBotMention(message.content, botId)), ctx.render);
    } else if (verdict.firstRefusal) {
      // Messages cannot be ephemeral: say it once per window, then stay quiet instead of spamming.
      reply = renderNote(T.cooldown(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))));
    } else {
      return;
    }
  } catch (error) {
    ctx.logger.error(
      { err: describeError(error), messageId: message.id, user: message.author.id, guild: message.guildId },
      'discord: message answer failed',
    );
    await send(ctx, message, renderNote(T.failure), apologyNonce(message), 'apology');
    return;
  }
  const sent = await send(ctx, message, reply, replyNonce(message), 'answer');
  // Refused outright (e.g. 400): nothing was shown, so say sorry. After an ambiguous failure the
  // answer may be on screen, and an apology under it would be wrong; the give-up is logged.
  if (!sent.ok && sent.failure === 'rejected' && !sent.mayHaveLanded) {
    await send(ctx, message, renderNote(T.failure), apologyNonce(message), 'apology');
  }
}
