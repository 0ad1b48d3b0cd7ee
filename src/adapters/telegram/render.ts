import { commandHelpText } from '../../conversation/command-text.ts';
import { quoteAttribution } from '../../conversation/quote-text.ts';
import type { Reply, Suggestion } from '../../core/reply.ts';
import type { ArticleInfo, PreviousTurn } from '../../core/service.ts';
import { truncate } from '../../core/text.ts';
import { TELEGRAM_TEXTS } from './texts.ts';

/**
 * Turns neutral replies into Telegram HTML (parse_mode "HTML"). Every piece of text is escaped
 * here and nowhere else, so user and data text can never inject markup; the only tags emitted
 * are the ones written in this file.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A unit of a message that is never split across messages unless it alone is too long. */
export type Block =
  /** `url`: the text links there (only ever the knowledge base's own article address). */
  | { readonly kind: 'text'; readonly text: string; readonly bold?: boolean; readonly url?: string }
  | { readonly kind: 'quote'; readonly text: string; readonly speaker: string; readonly context?: string }
  /** Where an answer's words come from: `text` is the headline, linked when the address is known. */
  | { readonly kind: 'source'; readonly text: string; readonly publisher: string; readonly url?: string };

/** What the adapter sends for one reply: the blocks, plus the questions to offer as buttons. */
export interface Outgoing {
  readonly blocks: readonly Block[];
  readonly suggestions: readonly Suggestion[];
  /** The suggestions are "did you mean…" choices: pressing one may replace the question. */
  readonly clarify: boolean;
  /** The conversation's context as this reply's turn left it, kept under the sent messages. */
  readonly context?: PreviousTurn;
  /** The recorded question this answer is for: 👍 / 👎 buttons go under it. */
  readonly eventId?: string;
}

/**
 * The blocks of a neutral reply. With `source`, a reply that quotes the article (an answer, a
 * quote list) ends with a line naming the article in its own words, as Discord's footer does.
 */
export function replyToOutgoing(reply: Reply, source?: ArticleInfo): Outgoing {
  const blocks: Block[] = [];
  if (reply.kind === 'info' && reply.title.trim())
    blocks.push({ kind: 'text', text: reply.title, bold: true });
  if (reply.text.trim()) blocks.push({ kind: 'text', text: reply.text });
  if (reply.kind === 'info' && reply.commands?.length)
    blocks.push({ kind: 'text', text: commandHelpText(reply.commands) });
  if (reply.kind === 'answer' || reply.kind === 'info') {
    for (const quote of reply.quotes) {
      blocks.push({
        kind: 'quote',
        text: quote.text,
        speaker: quote.speaker,
        ...(quote.context ? { context: quote.context } : {}),
      });
    }
  }
  const cites = reply.kind === 'answer' || (reply.kind === 'info' && reply.quotes.length > 0);
  if (source && cites) {
    blocks.push({
      kind: 'source',
      text: source.headline,
      publisher: source.publisher,
      ...(source.url ? { url: source.url } : {}),
    });
  }
  return { blocks, suggestions: reply.suggestions, clarify: reply.kind === 'clarify' };
}

const BLOCK_SEPARATOR = '\n\n';

function attribution(block: Extract<Block, { kind: 'quote' }>): string {
  return `\n${quoteAttribution(block, { speaker: (s) => `<i>${escapeHtml(s)}</i>`, context: escapeHtml })}`;
}

const link = (url: string, escapedText: string) => `<a href="${escapeHtml(url)}">${escapedText}</a>`;

function wrap(block: Block, escapedText: string, withAttribution: boolean): string {
  if (block.kind === 'text') {
    const text = block.url ? link(block.url, escapedText) : escapedText;
    return block.bold ? `<b>${text}</b>` : text;
  }
  if (block.kind === 'source') {
    // The escaped text has no bare '"' left: only the added quote marks are escaped here.
    const quoted = TELEGRAM_TEXTS.quoted(escapedText).replace(/"/g, '&quot;');
    const headline = block.url ? link(block.url, escapedText) : quoted;
    return `<i>${escapeHtml(TELEGRAM_TEXTS.sourceLead(block.publisher))} ${headline}</i>`;
  }
  return `<blockquote>${escapedText}${withAttribution ? attribution(block) : ''}</blockquote>`;
}

/** The markup a block adds around its text, so a long block can be cut to fit. */
function overhead(block: Block): number {
  return wrap(block, '', true).length;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts plain text into pieces whose escaped form fits `budget` UTF-16 units (what Telegram
 * counts). Prefers a paragraph break, then a line or word break in the second half of the
 * piece, and never cuts inside a grapheme (emoji, combining marks) or an HTML entity.
 */
export function splitPlainText(text: string, budget: number): string[] {
  if (budget < 1) throw new RangeError('budget must be at least 1');
  const pieces: string[] = [];
  let rest = text;
  while (escapeHtml(rest).length > budget) {
    let cost = 0;
    let end = 0;
    let paragraphBreak = 0;
    let lineBreak = 0;
    let wordBreak = 0;
    for (const { segment } of graphemes.segment(rest)) {
      const segmentCost = escapeHtml(segment).length;
      if (cost + segmentCost > budget) break;
      cost += segmentCost;
      end += segment.length;
      if (segment === '\n' && rest[end - 2] === '\n') paragraphBreak = end;
      else if (segment === '\n') lineBreak = end;
      else if (/^\s+$/u.test(segment)) wordBreak = end;
    }
    // A single grapheme wider than the budget (pathological combining sequences): cut by code point.
    if (end === 0) end = String.fromCodePoint(rest.codePointAt(0) ?? 0).length;
    const half = end / 2;
    const cut = [paragraphBreak, lineBreak, wordBreak].find((at) => at > half) ?? end;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

function renderBlock(block: Block, limit: number): string[] {
  const whole = wrap(block, escapeHtml(block.text), true);
  if (whole.length <= limit) return [whole];
  const parts = splitPlainText(block.text, limit - overhead(block));
  // The speaker goes under the last part of a long quote only.
  return parts.map((part, i) => wrap(block, escapeHtml(part), i === parts.length - 1));
}

/**
 * Renders blocks to HTML messages of at most `limit` UTF-16 units each, packing whole blocks
 * together and splitting a block only when it alone is too long. Every message is valid HTML
 * on its own (tags never straddle two messages) and is never empty.
 */
export function renderMessages(blocks: readonly Block[], limit: number): string[] {
  const messages: string[] = [];
  let current = '';
  // Telegram refuses a blank message, so blank blocks are dropped rather than sent.
  const visible = blocks.filter((block) => block.text.trim());
  for (const piece of visible.flatMap((block) => renderBlock(block, limit))) {
    const candidate = current ? current + BLOCK_SEPARATOR + piece : piece;
    if (candidate.length <= limit) {
      current = candidate;
    } else {
      if (current) messages.push(current);
      current = piece;
    }
  }
  if (current) messages.push(current);
  return messages;
}

/** Shortens a plain-text label (buttons, titles) at a word boundary, marking the cut with "…". */
export function truncateLabel(text: string, limit: number): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), limit, { atWord: true });
}
