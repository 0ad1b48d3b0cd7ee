import type { Message } from 'discord.js';
import type { Reply } from '../../core/reply.ts';
import type { HandlerContext } from './context.ts';
import { describeError } from './errors.ts';
import { renderNote, renderReply } from './render.ts';
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
 * A DM, or a server message that mentions the bot, is a question; the bot replies to it.
 * Messages from bots (including itself), webhooks and system messages are ignored.
 */
export async function handleMessage(ctx: HandlerContext, message: Message): Promise<void> {
  const botId = message.client.user.id;
  if (message.author.bot || message.system || message.webhookId) return;
  if (message.inGuild() && !message.mentions.users.has(botId)) return;
  try {
    const verdict = ctx.cooldown.take(message.author.id);
    if (!verdict.ok) {
      // Messages cannot be ephemeral: say it once per window, then stay quiet instead of spamming.
      if (verdict.firstRefusal) {
        await message.reply(renderNote(T.cooldown(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)))));
      }
      return;
    }
    const reply = answer(ctx, stripBotMention(message.content, botId));
    await message.reply(renderReply(reply, ctx.render));
  } catch (error) {
    ctx.logger.error(
      { err: describeError(error), messageId: message.id, user: message.author.id, guild: message.guildId },
      'discord: message reply failed',
    );
    await message.reply(renderNote(T.failure)).catch((again: unknown) => {
      // Usually missing permission to send in that channel; logged, then dropped.
      ctx.logger.warn(
        { err: describeError(again), messageId: message.id },
        'discord: could not send the apology',
      );
    });
  }
}
