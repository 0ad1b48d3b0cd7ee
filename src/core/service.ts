import type { ArticleQuote, KnowledgeBase } from './knowledge.ts';
import type { QuestionReply } from './reply.ts';

export interface ArticleInfo {
  readonly headline: string;
  readonly publisher: string;
  readonly summary: string;
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

/** The one object adapters and commands talk to. Nothing here knows about a platform. */
export interface QaService {
  readonly article: ArticleInfo;
  readonly knowledge: KnowledgeBase;
  /** Answers, clarifies, declines or chats; never throws, whatever the input. */
  ask(question: string): QuestionReply;
  /** Knowledge-base questions that fit a partly typed question, best first (autocomplete). */
  complete(partial: string, limit: number): string[];
  topics(): readonly TopicInfo[];
  /** Distinct speakers of the article's direct quotes, in article order. */
  speakers(): readonly string[];
  /** Quotes matching a speaker (by name or alias) and/or a topic, best first; all when no filter. */
  findQuotes(filter: QuoteFilter): readonly ArticleQuote[];
  /** A few example questions for welcomes and declines. */
  examples(count: number): string[];
}
export { createQaService } from './qa-service.ts';
