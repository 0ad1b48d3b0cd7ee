import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  embedLength as countEmbed,
  escapeMarkdown,
} from 'discord.js';
import {
  choiceOf,
  choicePayload,
  feedbackPayload,
  type PageChoice,
  pageOf,
  pagePayload,
} from '../../conversation/buttons.ts';
import { commandHelpLine } from '../../conversation/command-text.ts';
import { quoteAttribution } from '../../conversation/quote-text.ts';
import { LAYER_TEXTS } from '../../conversation/texts.ts';
import type { CommandUsage, Quote, Reply, Suggestion } from '../../core/reply.ts';
import { truncate as truncateText } from '../../core/text.ts';
import { DISCORD_DEFAULTS } from './defaults.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import type { CommandIds } from './registration.ts';
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
  const attribution = quoteAttribution(
    quote,
    { speaker: (s) => `**${plain(s)}**`, context: (c) => `*${plain(c)}*` },
    withContext,
  );
  return `${body}\n${attribution}`;
}

/** Markdown first, then as many whole quotes as fit; the markdown itself is cut only if it alone is too long. */
function describe(markdown: string, quotes: readonly Quote[], max: number, withContext: boolean): string {
  let description = truncate(markdown, max);
  for (const quote of quotes) {
    const next = `${description}${description ? '\n\n' : ''}${quoteBlock(quote, withContext)}`;
    if (next.length > max) break;
    description = next;
  }
  return description || T.ellipsis;
}

/**
 * What a pressed button asks for: an entry (today's buttons), a question (older messages'
 * buttons), or another page of an argument-less command's list.
 */
export type ButtonTarget =
  | { readonly entryId: string }
  | { readonly question: string }
  | { readonly page: PageChoice };

/**
 * Button custom ids: the neutral layer's payloads (entries, pages). Buttons on messages sent
 * before entry ids ("a:<question>") still ask their question, so an upgrade leaves no dead
 * buttons behind.
 */
export class SuggestionCodec {
  encode(suggestion: Suggestion): string {
    return choicePayload(suggestion.entryId);
  }

  decode(customId: string): ButtonTarget | undefined {
    const choice = choiceOf(customId);
    if (choice) return { entryId: choice.entryId };
    const page = pageOf(customId);
    if (page) return { page };
    if (customId.startsWith('a:') && customId.length > 2) return { question: customId.slice(2) };
    return undefined;
  }
}

/** Where the article comes from, in the knowledge base's words. */
export interface ArticleSource {
  readonly publisher: string;
  readonly headline: string;
  /** The article's address, when the knowledge base gives one: answer embeds link to it. */
  readonly url?: string;
}

export interface RenderContext {
  readonly source: ArticleSource;
  readonly codec: SuggestionCodec;
  /** Registered command ids by name, once start-up has read them: help then writes mentions. */
  readonly commandIds?: CommandIds;
  /** Quotes on one page of a long list (default DISCORD_DEFAULTS.quotesPerPage). */
  readonly quotesPerPage?: number;
}

/** What the renderer cannot read from the reply itself. */
export interface RenderOptions {
  /** The question the user asked: a "did you mean" or a decline shows it as its title. */
  readonly asked?: string;
  /**
   * The reply is an argument-less command's (`/quote`): a list longer than a page is shown one
   * page at a time, with buttons that run the command again for another page.
   */
  readonly pager?: { readonly command: string; readonly page?: number };
  /** The recorded question an answer is for (Turn.eventId): 👍 / 👎 go on a row under it. */
  readonly eventId?: string;
}

type ActionRow = DiscordMessage['components'][number];

function buttons(suggestions: readonly Suggestion[], codec: SuggestionCodec): ActionRow[] {
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

function feedbackRow(eventId: string): ActionRow {
  const button = (label: string, vote: 1 | -1): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: feedbackPayload(eventId, vote),
  });
  return {
    type: ComponentType.ActionRow,
    components: [button(LAYER_TEXTS.feedbackUp, 1), button(LAYER_TEXTS.feedbackDown, -1)],
  };
}

/** One page of a long quote list: its quotes, its "Page 1 of 3" and its previous/next buttons. */
interface Page {
  readonly quotes: readonly Quote[];
  readonly label: string;
  readonly row: ActionRow;
}

function pageOfReply(reply: Reply, context: RenderContext, options: RenderOptions): Page | undefined {
  const per = Math.max(1, context.quotesPerPage ?? DISCORD_DEFAULTS.quotesPerPage);
  if (!options.pager || reply.kind !== 'info' || reply.quotes.length <= per) return undefined;
  const pages = Math.ceil(reply.quotes.length / per);
  // A page past the end (the list got shorter since the button was drawn) shows the last one.
  const index = Math.min(Math.max(0, options.pager.page ?? 0), pages - 1);
  const command = options.pager.command;
  // Both buttons stay (disabled at the ends) so the row does not jump; their ids stay distinct.
  const button = (label: string, page: number, disabled: boolean): APIButtonComponentWithCustomId => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: pagePayload(command, page),
    disabled,
  });
  return {
    quotes: reply.quotes.slice(index * per, (index + 1) * per),
    label: T.page(index + 1, pages),
    row: {
      type: ComponentType.ActionRow,
      components: [
        button(T.previousPage, Math.max(0, index - 1), index === 0),
        button(T.nextPage, Math.min(pages - 1, index + 1), index === pages - 1),
      ],
    },
  };
}

/** Discord snowflakes only: anything else would break the mention's syntax. */
const SNOWFLAKE = /^\d{1,22}$/;

/**
 * The help list as Discord markdown: a command whose registered id is known is a mention
 * (`</quote:123>`, which users click to start typing it), any other the plain `/quote`.
 */
function commandList(usages: readonly CommandUsage[], ids: CommandIds | undefined): string {
  const invoke = (name: string) => {
    const id = ids?.get(name);
    return id && SNOWFLAKE.test(id) && L.commandName.test(name) ? `</${name}:${id}>` : plain(`/${name}`);
  };
  return usages
    .map((usage) => {
      const escaped: CommandUsage = {
        name: usage.name,
        args: plain(usage.args),
        description: plain(usage.description),
        ...(usage.example ? { example: plain(usage.example) } : {}),
      };
      return `- ${commandHelpLine(escaped, invoke)}`;
    })
    .join('\n');
}

/** The reply's text as markdown, and for help the command list, written as Discord users type commands. */
function bodyOf(reply: Reply, context: RenderContext): string {
  const text = plain(reply.text);
  if (reply.kind !== 'info' || !reply.commands?.length) return text;
  return `${text}\n${commandList(reply.commands, context.commandIds)}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function titleOf(reply: Reply, options: RenderOptions): string | undefined {
  if (reply.kind === 'answer') return reply.matchedQuestion;
  if (reply.kind === 'info') return reply.title;
  const asked = options.asked === undefined ? '' : oneLine(options.asked);
  return (reply.kind === 'clarify' || reply.kind === 'decline') && asked ? T.asked(asked) : undefined;
}

/** Only a web address Discord accepts as an embed link (it refuses the message otherwise). */
const linkable = (url: string | undefined): url is string => !!url && /^https?:\/\/\S+$/.test(url);

export function renderReply(
  reply: Reply,
  context: RenderContext,
  options: RenderOptions = {},
): DiscordMessage {
  const rawTitle = titleOf(reply, options);
  const title = rawTitle === undefined ? undefined : truncate(plain(rawTitle), L.embedTitle);
  const cites = reply.kind === 'answer' || reply.kind === 'info';
  const page = pageOfReply(reply, context, options);
  const source = cites ? T.footer(context.source.publisher, context.source.headline) : undefined;
  const footerText = [page?.label, source].filter(Boolean).join(' · ');
  const footer = footerText ? truncate(footerText, L.embedFooter) : undefined;
  const room = Math.min(L.embedDescription, L.embedTotal - (title?.length ?? 0) - (footer?.length ?? 0));
  const quotes = cites ? (page?.quotes ?? reply.quotes) : [];
  const url = cites && title && linkable(context.source.url) ? context.source.url : undefined;
  const embed: APIEmbed = {
    color: COLORS[reply.kind],
    ...(title ? { title } : {}),
    ...(url ? { url } : {}),
    description: describe(bodyOf(reply, context), quotes, room, reply.kind === 'info'),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  return {
    embeds: [embed],
    components: [
      ...buttons(reply.suggestions, context.codec),
      ...(page ? [page.row] : []),
      ...(reply.kind === 'answer' && options.eventId ? [feedbackRow(options.eventId)] : []),
    ],
    allowedMentions: NO_MENTIONS,
  };
}

/** A short plain-text note (cooldown, failure), as message content. */
export function renderNote(text: string): DiscordMessage {
  return { content: truncate(text, L.content), embeds: [], components: [], allowedMentions: NO_MENTIONS };
}

/** Characters Discord counts toward an embed's 6,000 total: discord.js's own count (@discordjs/builders). */
export const embedLength: (embed: APIEmbed) => number = countEmbed;
