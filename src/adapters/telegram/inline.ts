import type { InlineQueryResultArticle } from 'telegraf/types';
import type { AnswerReply, DeclineReply, QuestionReply } from '../../core/reply.ts';
import type { QaService } from '../../core/service.ts';
import { foldCase, words } from '../../core/text.ts';
import type { TelegramTuning } from './defaults.ts';
import { type Block, renderMessages, replyToOutgoing, truncateLabel } from './render.ts';
import { shortId } from './suggestions.ts';
import { TELEGRAM_TEXTS } from './texts.ts';

/**
 * Inline mode: "@Bot who is kirby" in any chat. A query offers the best distinct answers (the
 * direct answer first, then answers to the closest knowledge-base questions), each titled by its
 * entry's curated question. A query not answered as it stands offers the questions it may be the
 * start of (it is still being typed), or else one honest result saying the article does not
 * cover it, never an unrelated answer. An empty query offers the topics, each sending the answer
 * to its example question.
 */

type InlineTuning = Pick<TelegramTuning, 'maxInlineResults' | 'messageLimit'>;

function article(
  id: string,
  title: string,
  description: string,
  blocks: readonly Block[],
  tuning: InlineTuning,
): InlineQueryResultArticle {
  // An inline result is a single message: keep the blocks that fit in the first one.
  const [html = ''] = renderMessages(blocks, tuning.messageLimit);
  return {
    type: 'article',
    id,
    title: truncateLabel(title, 100),
    description: truncateLabel(description, 120),
    input_message_content: {
      message_text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
  };
}

/**
 * The entry's curated question (what its buttons say), not the sample the query happened to
 * match ("kirby role?"); an answer from a bare article sentence keeps its own title.
 */
function curatedTitle(service: QaService, reply: AnswerReply): string {
  const entry = service.answerEntry(reply.entryId);
  return entry.kind === 'answer' ? entry.matchedQuestion : reply.matchedQuestion;
}

/**
 * A decline as it reads on its own: without the lead-in to suggestions ("Here is what I can
 * answer:"), which an inline message cannot carry.
 */
export function withoutLeadIn(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.endsWith(':')) return trimmed;
  const lastSentenceEnd = Math.max(...['. ', '! ', '? '].map((end) => trimmed.lastIndexOf(end)));
  return lastSentenceEnd > 0 ? trimmed.slice(0, lastSentenceEnd + 1) : `${trimmed.slice(0, -1)}.`;
}

function declineResult(query: string, reply: DeclineReply, tuning: InlineTuning): InlineQueryResultArticle {
  const said = withoutLeadIn(reply.text);
  const asked = TELEGRAM_TEXTS.inlineAsked(query);
  const firstSentence = /^.*?[.!?](?=\s|$)/s.exec(said)?.[0] ?? said;
  return article(
    `d:${shortId(query)}`,
    firstSentence,
    asked,
    [
      { kind: 'text', text: asked, bold: true },
      { kind: 'text', text: said },
    ],
    tuning,
  );
}

/**
 * Whether a question may be what the user is still typing: it has every word typed so far, the
 * last one perhaps cut short ("what did p" → "What did Putin say?"). Inline queries arrive as
 * the user types, so a half-typed question must not be answered with a decline.
 */
export function typedAhead(question: string, typed: string): boolean {
  const typedWords = words(foldCase(typed));
  const have = words(foldCase(question));
  return (
    typedWords.length > 0 &&
    typedWords.every((word, i) =>
      i === typedWords.length - 1 ? have.some((h) => h.startsWith(word)) : have.includes(word),
    )
  );
}

export function answerResults(
  service: QaService,
  query: string,
  tuning: InlineTuning,
): InlineQueryResultArticle[] {
  const direct = service.ask(query);
  const results: InlineQueryResultArticle[] = [];
  const seen = new Set<string>();
  const offer = (reply: QuestionReply) => {
    if (reply.kind !== 'answer' || seen.has(reply.entryId) || results.length >= tuning.maxInlineResults)
      return;
    seen.add(reply.entryId);
    const { blocks } = replyToOutgoing(reply, service.article);
    results.push(
      article(`a:${shortId(reply.entryId)}`, curatedTitle(service, reply), reply.text, blocks, tuning),
    );
  };
  const candidates = service.complete(query, tuning.maxInlineResults * 2);
  if (direct.kind === 'decline' || direct.kind === 'smalltalk') {
    // Not answered as it stands: the questions it may be the start of, else the honest decline,
    // never answers to questions merely near it ("world cup" is not the start of any).
    for (const candidate of candidates) if (typedAhead(candidate, query)) offer(service.ask(candidate));
    if (!results.length && direct.kind === 'decline') return [declineResult(query, direct, tuning)];
    return results;
  }
  offer(direct);
  // A "did you mean" lists the close candidates: offer each as its own result.
  if (direct.kind === 'clarify')
    for (const choice of direct.suggestions) offer(service.answerEntry(choice.entryId));
  for (const candidate of candidates) {
    if (results.length >= tuning.maxInlineResults) break;
    offer(service.ask(candidate));
  }
  return results;
}

export function topicResults(service: QaService, tuning: InlineTuning): InlineQueryResultArticle[] {
  const results: InlineQueryResultArticle[] = [];
  for (const topic of service.topics()) {
    if (results.length >= tuning.maxInlineResults) break;
    const reply = service.ask(topic.example);
    if (reply.kind === 'answer') {
      const { blocks } = replyToOutgoing(reply, service.article);
      results.push(article(`t:${shortId(topic.id)}`, topic.topic, topic.example, blocks, tuning));
    }
  }
  return results;
}
