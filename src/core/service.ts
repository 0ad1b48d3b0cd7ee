import type { ContextVector, FeatureVector } from './decision.ts';
import type { PreviousTurn } from './follow-up.ts';
import type { ArticleQuote, KnowledgeBase } from './knowledge.ts';
import type { QuestionReply, Suggestion } from './reply.ts';

export type { PreviousTurn } from './follow-up.ts';

/** Where the article comes from, in the article's own words; adapters use it in /about and footers. */
export interface ArticleInfo {
  readonly headline: string;
  readonly publisher: string;
  readonly summary: string;
  /**
   * The article's address, when the knowledge base gives one (`article.url`, https only): adapters
   * link the headline or footer to it. Absent otherwise, and then no link is shown: one is never
   * guessed.
   */
  readonly url?: string;
}

export interface TopicInfo {
  readonly id: string;
  readonly topic: string;
  /** A question that leads to this topic's answer. */
  readonly example: string;
}

export interface QuoteFilter {
  readonly speaker?: string;
  readonly topic?: string;
}

/** A question inspected as a conversation turn: the turn before it. */
export interface InspectionContext {
  readonly previous?: PreviousTurn;
}

/** How the engine saw one question, for evaluation, fitting and `explain` (never shown to users). */
export interface Inspection {
  readonly screened?: string;
  readonly terms: readonly {
    word: string;
    tokens: readonly string[];
    weight: number;
    credit: number;
    known: boolean;
  }[];
  readonly candidates: readonly {
    id: string;
    kind: 'entry' | 'gap' | 'sentence';
    /** The article sentences this candidate answers with. */
    sentences: readonly string[];
    score: number;
    features: FeatureVector;
    /** Where it stands to the previous answer, when inspected as a conversation turn. */
    context?: ContextVector;
    /** In a conversation, corrected by the context prior. */
    probability: number;
    matchedQuestion: string;
  }[];
  readonly gaps?: readonly { id: string; score: number }[];
}

export interface ContextualReply {
  readonly reply: QuestionReply;
  /** The question as understood: the follow-up's reading, or the message itself. */
  readonly question: string;
  /** True when the message was read against the previous turn. */
  readonly followUp: boolean;
  /** Set for "tell me more" and "source?": about the last answer, not a new question. */
  readonly intent?: 'more' | 'source';
  /**
   * The entry the conversation is about after this turn, when a follow-up moved it: "what else
   * did Kirby say" after Putin's words makes Kirby the subject ("what else did he say" goes on
   * with Kirby). Absent: an answer's own entry, or for "more" and "source" the last subject.
   */
  readonly subject?: string;
  /** The conversation's context after this turn (set by the conversation layer). */
  readonly context?: PreviousTurn;
}

/** The one object adapters and commands talk to. Nothing here knows about a platform. */
export interface QaService {
  readonly article: ArticleInfo;
  readonly knowledge: KnowledgeBase;
  /** Answers, clarifies, declines or chats; never throws, whatever the input. */
  ask(question: string): QuestionReply;
  /**
   * Answers a message in a conversation: as a follow-up of the previous turn ("what's his job",
   * "and the us?", "why?", "tell me more", "source?") or on its own, whichever reading the
   * calibrated confidence prefers. Never throws.
   */
  askInContext(message: string, previous?: PreviousTurn): ContextualReply;
  /** The answer of one entry, as when the reader presses its suggestion; a decline for an unknown id. */
  answerEntry(entryId: string): QuestionReply;
  /**
   * The two readings of a message after a previous turn: alone, and as a follow-up; and
   * whether it cannot stand alone (a pronoun, "and...", a bare question word). For fitting.
   */
  readings(message: string, previous: PreviousTurn): { inContext: string; dependent: boolean };
  /**
   * Curated questions (each entry's first, as suggestions show it) of the entries whose questions
   * fit a partly typed question, best first (autocomplete, inline results). Never a raw sample.
   */
  complete(partial: string, limit: number): string[];
  /** Candidates, features and probabilities behind a question's reply. */
  inspect(question: string, conversation?: InspectionContext): Inspection;
  /** Canonical tokens of a text, as the matcher sees it (for commands that filter by words). */
  tokens(text: string): string[];
  topics(): readonly TopicInfo[];
  /** Distinct speakers of the article's direct quotes, in article order. */
  speakers(): readonly string[];
  /** The topics some direct quote is about (the quote command's topic choices). */
  quoteTopics(): readonly TopicInfo[];
  /**
   * Quotes matching a speaker (by name or alias) and/or a topic, best first; all when no filter.
   * A topic as `topics()` names it (or its id) gives the quotes from the sentences its entry cites;
   * any other text is matched by its words.
   */
  findQuotes(filter: QuoteFilter): readonly ArticleQuote[];
  /** A few example questions for welcomes and declines. */
  examples(count: number): Suggestion[];
}
export { createQaService } from './qa-service.ts';
