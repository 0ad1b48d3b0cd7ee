import type { InlineQueryResultArticle } from 'telegraf/types';
import type { AnswerReply, QuestionReply } from '../../core/reply.ts';
import type { QaService } from '../../core/service.ts';
import type { TelegramTuning } from './defaults.ts';
import { renderMessages, replyToOutgoing, truncateLabel } from './render.ts';
import { shortId } from './suggestions.ts';

/**
 * Inline mode: "@Bot who is kirby" in any chat. A query offers the best distinct answers (the
 * direct answer first, then answers to the closest knowledge-base questions); an empty query
 * offers the topics, each sending the answer to its example question.
 */

type InlineTuning = Pick<TelegramTuning, 'maxInlineResults' | 'messageLimit'>;

function article(id: string, title: string, description: string, reply: AnswerReply, tuning: InlineTuning) {
  // An inline result is a single message: keep the blocks that fit in the first one.
  const [html = ''] = renderMessages(replyToOutgoing(reply).blocks, tuning.messageLimit);
  const result: InlineQueryResultArticle = {
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
  return result;
}

export function answerResults(
  service: QaService,
  query: string,
  tuning: InlineTuning,
): InlineQueryResultArticle[] {
  const results: InlineQueryResultArticle[] = [];
  const seen = new Set<string>();
  const offer = (reply: QuestionReply) => {
    if (reply.kind !== 'answer' || seen.has(reply.entryId) || results.length >= tuning.maxInlineResults)
      return;
    seen.add(reply.entryId);
    results.push(article(`a:${shortId(reply.entryId)}`, reply.matchedQuestion, reply.text, reply, tuning));
  };
  const direct = service.ask(query);
  offer(direct);
  // A "did you mean" lists the close candidates: offer each as its own result.
  if (direct.kind === 'clarify')
    for (const choice of direct.suggestions) offer(service.answerEntry(choice.entryId));
  for (const candidate of service.complete(query, tuning.maxInlineResults * 2)) {
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
      results.push(article(`t:${shortId(topic.id)}`, topic.topic, topic.example, reply, tuning));
    }
  }
  return results;
}
