import type { Quote } from '../core/reply.ts';

export interface AttributionFormat {
  /** Escapes and emphasises the speaker for the platform (plain text: as it is). */
  readonly speaker?: (speaker: string) => string;
  readonly context?: (context: string) => string;
}

const asIs = (text: string) => text;

/**
 * The one attribution line of a quote on every platform, "— John Kirby · In a statement…": each
 * platform sets the quote's text apart its own way (a block quote, never added quote marks, so the
 * article's own marks are not doubled) and puts this line under it, escaped and emphasised through
 * `format`.
 */
export function quoteAttribution(quote: Quote, format: AttributionFormat = {}, withContext = true): string {
  const speaker = (format.speaker ?? asIs)(quote.speaker);
  const context = withContext && quote.context ? ` · ${(format.context ?? asIs)(quote.context)}` : '';
  return `— ${speaker}${context}`;
}
