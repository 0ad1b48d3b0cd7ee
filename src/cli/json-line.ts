import type { QuestionReply } from '../core/reply.ts';

/** The stable contract of `npm run ask -- --json`: one object per input line. Evaluation tools rely on it. */
export interface JsonAnswerLine {
  readonly question: string;
  readonly kind: 'answer' | 'clarify' | 'decline' | 'smalltalk';
  readonly answer: string | null;
  readonly quotes: string[];
  readonly score: number;
  readonly suggestions: string[];
}

export function toJsonLine(question: string, reply: QuestionReply): JsonAnswerLine {
  return {
    question,
    kind: reply.kind,
    answer: reply.kind === 'answer' ? reply.text : null,
    quotes: reply.kind === 'answer' ? reply.quotes.map((q) => q.text) : [],
    score: reply.kind === 'smalltalk' ? 0 : reply.confidence,
    suggestions: reply.suggestions.map((s) => s.label),
  };
}
