/**
 * Platform-neutral replies. Every text field is plain text (no markup): adapters escape and
 * format it for their platform. `suggestions` are follow-up questions an adapter may offer as
 * buttons; pressing one asks that question verbatim.
 */
/** Who the article's own sentences are attributed to: narration has one attribution everywhere. */
export const NARRATOR = 'the article';

export interface Quote {
  /** Verbatim text from the article. */
  readonly text: string;
  /**
   * Who said these exact words: a person ("Vladimir Putin"), or "the article" (NARRATOR) for the
   * article's own sentences, which may quote someone. The text never carries surrounding quote
   * marks, so every platform renders a quote the same way: the text set apart (a block quote,
   * no added quote marks), then "— speaker", then " · context" when there is one.
   */
  readonly speaker: string;
  /** One short line of context, for the quote command. */
  readonly context?: string;
}

/**
 * A question the bot can answer, offered as a button or a numbered line: its label is the
 * entry's curated question, and pressing it answers that entry directly (no matching again), so
 * a button needs no server-side memory and still works after a restart.
 */
export interface Suggestion {
  readonly label: string;
  readonly entryId: string;
}

interface ReplyBase {
  readonly text: string;
  readonly suggestions: readonly Suggestion[];
  /** The asker asked for an answer only they can see (honoured where the platform can). */
  readonly private?: boolean;
}

/** One answered point: an entry's answer (or a bare article sentence) and its verbatim quotes. */
export interface AnswerPart {
  readonly entryId: string;
  readonly matchedQuestion: string;
  /** Empty for a bare article sentence, which the quote alone says. */
  readonly text: string;
  readonly quotes: readonly Quote[];
}

export interface AnswerReply extends ReplyBase {
  readonly kind: 'answer';
  readonly entryId: string;
  /** The knowledge-base question that matched, for titles (e.g. Telegram inline results). */
  readonly matchedQuestion: string;
  /** Every part's quotes, in order. */
  readonly quotes: readonly Quote[];
  /**
   * The best answer first; a second when another entry, from other sentences, is as sure to be
   * right. `text` is the parts' texts joined.
   */
  readonly parts: readonly AnswerPart[];
  /** Probability that the (first) answer is right, from the fitted decision model. */
  readonly confidence: number;
}

/** "Did you mean…": `suggestions` hold the candidate questions. */
export interface ClarifyReply extends ReplyBase {
  readonly kind: 'clarify';
  /** Probability that the best candidate is right (too low to answer with it). */
  readonly confidence: number;
}

export type DeclineReason =
  | 'not-covered'
  | 'article-silent'
  | 'too-long'
  | 'unreadable'
  /** Asked in another language or script: the note that the bot reads English only. */
  | 'not-english'
  | 'injection';

/** An honest "the article does not say", with suggestions of what the bot can answer. */
export interface DeclineReply extends ReplyBase {
  readonly kind: 'decline';
  readonly reason: DeclineReason;
  /** Probability that declining is right: one minus the best candidate's. */
  readonly confidence: number;
}

/** Greetings, thanks, help: about the bot, never an article fact. */
export interface SmalltalkReply extends ReplyBase {
  readonly kind: 'smalltalk';
}

/** Output of informational commands (quote, topics, about). */
/**
 * A command as help lists it. Each platform writes the invocation in its own syntax (Telegram
 * and the console "/quote kirby", Discord a command mention), so the list is data, not text.
 */
export interface CommandUsage {
  readonly name: string;
  /** What follows the name, as placeholders: "<question>", "[speaker] [topic]"; empty when none. */
  readonly args: string;
  readonly description: string;
  /** Arguments of a real invocation that works on this article, e.g. "kirby". */
  readonly example?: string;
}

export interface InfoReply extends ReplyBase {
  readonly kind: 'info';
  readonly title: string;
  readonly quotes: readonly Quote[];
  /** The commands to list (help), rendered by each platform after `text`. */
  readonly commands?: readonly CommandUsage[];
}

export type Reply = AnswerReply | ClarifyReply | DeclineReply | SmalltalkReply | InfoReply;
export type QuestionReply = AnswerReply | ClarifyReply | DeclineReply | SmalltalkReply;
