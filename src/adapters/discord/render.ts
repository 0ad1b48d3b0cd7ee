import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  embedLength as countEmbed,
  escapeMarkdown,
} from 'discord.js';
import { choiceOf, choicePayload } from '../../conversation/buttons.ts';
import { commandHelpText } from '../../conversation/command-text.ts';
import type { Quote, Reply, Suggestion } from '../../core/reply.ts';
import { truncate as truncateText } from '../../core/text.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

/**
 * Reply → Discord message. Every text field of a Reply is plain text, so it is escaped here:
 * markdown cannot restyle it and mentions cannot ping (allowed_mentions is empty on every message
 * as well; the text is also defused so `@everyone` does not even render as a mention).
 */

/** Never ping anyone: user text echoed back must not reach @everyone, roles or users. */
export const NO_MENTIONS = Object.freeze({ parse: [] as const, repliedUser: false });

export interface DiscordMessage {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  readonly allowedMentions: typeof NO_MENTIONS;
}

const COLORS: Record<Reply['kind'], number> = {
  answer: 0x2b7bb9,
  info: 0x2b7bb9,
  clarify: 0xf0b232,
  decline: 0x80848e,
  smalltalk: 0x5865f2,
};

/** The one truncation (core), marked with Discord's ellipsis; a backslash left before it would escape it. */
export function truncate(text: string, max: number): string {
  const cut = truncateText(text, max, { ellipsis: T.ellipsis });
  return cut === text ? text : cut.replace(/\\+(?=\u2026$)/, '');
}

const ZWSP = '\u200B';

/** Defuses mention syntax so it shows as text: `@everyone`, `@here`, `<@id>`, `<@&role>`, `<#channel>`. */
export function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?|#)/g, `<$1${ZWSP}`);
}

/** Plain text → Discord markdown that displays exactly that text. */
export function plain(text: string): string {
  const escaped = escapeMarkdown(defuseMentions(text), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  // escapeMarkdown leaves block quotes alone; a leading ">" would otherwise quote the line.
  return escaped.replace(/^(\s*)>/gm, '$1\\>');
}

function quoteBlock(quote: Quote, withContext: boolean): string {
  const body = plain(quote.text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const context = withContext && quote.context ? ` · *${plain(quote.context)}*` : '';
  return `${body}\n— **${plain(quote.speaker)}**${context}`;
}

/** Text first, then as many whole quotes as fit; the text itself is cut only if it alone is too long. */
function describe(text: string, quotes: readonly Quote[], max: number, withContext: boolean): string {
  let description = truncate(plain(text), max);
  for (const quote of quotes) {
    const next = `${description}${description ? '\n\n' : ''}${quoteBlock(quote, withContext)}`;
    if (next.length > max) break;
    description = next;
  }
  return description || T.ellipsis;
}

/** What a pressed button asks for: an entry (today's buttons), or a question (older messages' buttons). */
export type ButtonTarget = { readonly entryId: string } | { readonly question: string };

/**
 * Button custom ids: the neutral layer's entry payload. Buttons on messages sent before entry ids
 * ("a:<question>") still ask their question, so an upgrade leaves no dead buttons behind.
 */
export class SuggestionCodec {
  encode(suggestion: Suggestion): string {
    return choicePayload(suggestion.entryId);
  }

  decode(customId: string): ButtonTarget | undefined {
    const choice = choiceOf(customId);
    if (choice) return { entryId: choice.entryId };
    if (customId.startsWith('a:') && customId.length > 2) return { question: customId.slice(2) };
    return undefined;
  }
}

export interface RenderContext {
  readonly publisher: string;
  readonly codec: SuggestionCodec;
}

function buttons(suggestions: readonly Suggestion[], codec: SuggestionCodec): DiscordMessage['components'] {
  const seen = new Set<string>();
  const row: APIButtonComponentWithCustomId[] = [];
  for (const suggestion of suggestions) {
    const customId = codec.encode(suggestion);
    // Discord rejects a message whose components share a custom id.
    if (!suggestion.label.trim() || seen.has(customId)) continue;
    seen.add(customId);
    row.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      // Labels are not markdown: no escaping, only the length limit.
      label: truncate(suggestion.label, L.buttonLabel),
      custom_id: customId,
    });
    if (row.length === L.buttonsPerRow) break;
  }
  return row.length ? [{ type: ComponentType.ActionRow, components: row }] : [];
}

/** The reply's text, and for help the command list, written as Discord users type commands. */
function withCommands(reply: Reply): string {
  if (reply.kind !== 'info' || !reply.commands?.length) return reply.text;
  return `${reply.text}\n${commandHelpText(reply.commands)}`;
}

export function renderReply(reply: Reply, context: RenderContext): DiscordMessage {
  const title =
    reply.kind === 'answer'
      ? truncate(plain(reply.matchedQuestion), L.embedTitle)
      : reply.kind === 'info'
        ? truncate(plain(reply.title), L.embedTitle)
        : undefined;
  const cites = reply.kind === 'answer' || reply.kind === 'info';
  const footer = cites ? truncate(T.footer(context.publisher), L.embedFooter) : undefined;
  const room = Math.min(L.embedDescription, L.embedTotal - (title?.length ?? 0) - (footer?.length ?? 0));
  const quotes = cites ? reply.quotes : [];
  const embed: APIEmbed = {
    color: COLORS[reply.kind],
    ...(title ? { title } : {}),
    description: describe(withCommands(reply), quotes, room, reply.kind === 'info'),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  return {
    embeds: [embed],
    components: buttons(reply.suggestions, context.codec),
    allowedMentions: NO_MENTIONS,
  };
}

/** A short plain-text note (cooldown, failure), as message content. */
export function renderNote(text: string): DiscordMessage {
  return { content: truncate(text, L.content), embeds: [], components: [], allowedMentions: NO_MENTIONS };
}

/** Characters Discord counts toward an embed's 6,000 total: discord.js's own count (@discordjs/builders). */
export const embedLength: (embed: APIEmbed) => number = countEmbed;
