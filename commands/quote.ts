import type { ArticleQuote } from '../src/core/knowledge.ts';
import type { InfoReply, Quote } from '../src/core/reply.ts';
import type { QaService } from '../src/core/service.ts';
import { TEXTS } from '../src/core/texts.ts';
import type { Choice, Command } from './types.ts';

/** The article's speakers that match what has been typed so far (all of them for nothing typed). */
export function speakerChoices(service: QaService, partial: string): Choice[] {
  const wanted = partial.trim().toLowerCase();
  return service
    .speakers()
    .filter((s) => !wanted || s.toLowerCase().includes(wanted))
    .map((s) => ({ name: s.slice(0, 100), value: s.slice(0, 100) }));
}

/** The topics some quote is about that match what has been typed (all of them for nothing typed). */
export function quoteTopicChoices(service: QaService, partial: string): Choice[] {
  const wanted = partial.trim().toLowerCase();
  return service
    .quoteTopics()
    .filter((t) => !wanted || t.topic.toLowerCase().includes(wanted))
    .slice(0, MAX_CHOICES)
    .map((t) => ({ name: t.topic.slice(0, 100), value: t.topic.slice(0, 100) }));
}

/** "putin": the last word of the first speaker, as an example that works for any article. */
function speakerExample(service: QaService): string {
  const speaker = service.speakers()[0] ?? '';
  return speaker.split(/\s+/).at(-1)?.toLowerCase() ?? '';
}

/** "/quote putin": a whole quote command, as typed, that works on this article. */
export function quoteExample(service: QaService): string {
  return `/quote ${speakerExample(service)}`.trim();
}

const MAX_SHOWN = 3;
/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

const toQuote = (q: ArticleQuote): Quote => ({ text: q.text, speaker: q.speaker, context: q.context });

/** Splits "kirby war" into a speaker (when a word names one) and the rest as the topic. */
function splitSpeaker(service: QaService, text: string): { speaker?: string; topic?: string } {
  const speakerTokens = service.speakers().map((s) => ({ s, tokens: new Set(service.tokens(s)) }));
  const rest: string[] = [];
  let speaker: string | undefined;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const token = service.tokens(word)[0];
    const hit = token ? speakerTokens.find((st) => st.tokens.has(token)) : undefined;
    if (hit && !speaker) speaker = hit.s;
    else rest.push(word);
  }
  const topic = rest.join(' ').trim();
  return { ...(speaker ? { speaker } : {}), ...(topic ? { topic } : {}) };
}

export const quote: Command = {
  name: 'quote',
  description: 'A verbatim quote from the article, by speaker and/or topic',
  options: [
    { type: 'string', name: 'speaker', description: 'Who said it', maxLength: 100, complete: speakerChoices },
    {
      type: 'string',
      name: 'topic',
      description: 'What the quote is about, e.g. negotiations',
      maxLength: 200,
      complete: quoteTopicChoices,
    },
  ],
  usage: '[speaker] [topic]',
  example: speakerExample,
  parseText: (service, text) => splitSpeaker(service, text),
  run: (service, args): InfoReply => {
    const speaker = typeof args.speaker === 'string' ? args.speaker : undefined;
    const topic = typeof args.topic === 'string' ? args.topic : undefined;
    if (!speaker?.trim() && !topic?.trim()) {
      const all = service.findQuotes({});
      return {
        kind: 'info',
        title: TEXTS.quote.listTitle,
        text: TEXTS.quote.all(all.length, quoteExample(service)),
        quotes: all.map(toQuote),
        suggestions: [],
      };
    }
    const found = service.findQuotes({ ...(speaker ? { speaker } : {}), ...(topic ? { topic } : {}) });
    const first = found[0];
    if (!first) {
      const what = [speaker ? 'from that speaker' : '', topic ? 'on that topic' : '']
        .filter(Boolean)
        .join(' ');
      return {
        kind: 'info',
        title: TEXTS.quote.listTitle,
        text: `${TEXTS.quote.none(what)} Speakers quoted: ${service.speakers().join(', ')}.`,
        quotes: [],
        suggestions: [],
      };
    }
    const shown = found.slice(0, MAX_SHOWN);
    // Each quote carries its own context; the text only counts them.
    const oneSpeaker = found.every((q) => q.speaker === first.speaker);
    return {
      kind: 'info',
      title: oneSpeaker ? TEXTS.quote.title(first.speaker) : TEXTS.quote.topicTitle(topic?.trim() ?? ''),
      text: TEXTS.quote.found(shown.length, found.length),
      quotes: shown.map(toQuote),
      suggestions: [],
    };
  },
};
