import type { SmalltalkIntent } from './intents.ts';
import { type DeclineReason, NARRATOR } from './reply.ts';

const NOT_ENGLISH =
  'I can only read questions in English for now. Please ask in English, for example one of these:';

/** Every user-facing string of the core, so wording is reviewed (and tested) in one place. */
export const TEXTS = Object.freeze({
  botName: 'Article Q&A bot',
  intro: (headline: string, publisher: string) =>
    `I answer questions about one news article: "${headline}" (${publisher}). Every answer comes with the article's own words as proof, and when the article doesn't say, I tell you so.`,
  smalltalk: Object.freeze({
    greeting: 'Hi! Ask me anything about the article, for example one of these:',
    thanks: "You're welcome! Ask me anything else about the article.",
    goodbye: 'Bye! Come back any time with more questions about the article.',
    identity: (intro: string) => `I'm a Q&A bot, not a person. ${intro}`,
    capabilities: (intro: string) =>
      `${intro} Just type a question, or use the commands /ask, /quote (a verbatim quote, by speaker or topic), /topics, /about and /help.`,
    wellbeing: "I'm doing well, thanks! What would you like to know about the article?",
    complaint:
      "Sorry that didn't help. I only know what this one article says; try asking in other words, or pick one of these:",
    ack: 'Got it. Anything else you would like to know about the article?',
  } satisfies Record<SmalltalkIntent, string | ((intro: string) => string)>),
  empty: (intro: string) => `You sent an empty message. ${intro} Try one of the questions below.`,
  decline: Object.freeze({
    'not-covered':
      "The article doesn't cover that, so I can't answer it without guessing. Here is what I can answer:",
    'article-silent': '',
    'too-long': (max: number) =>
      `That message is too long for me (over ${max} characters). Please ask a shorter question, one at a time.`,
    unreadable:
      "I couldn't find a question in that message. Please ask in words, in English, for example one of these:",
    'not-english': NOT_ENGLISH,
    injection:
      "I can't change how I work. I only answer questions about the article, using its own words. For example:",
  } satisfies Record<DeclineReason, string | ((max: number) => string)>),
  staleChoice:
    'That button is from an older version of this bot, so I cannot tell what it was. Here is what I can answer:',
  /** A question word alone ("why?") outside a conversation: nothing to answer about. */
  noSubject: 'What about? Ask me a little more, for example:',
  nonLatin: NOT_ENGLISH,
  /** Lead-in for an answer that is one article sentence, quoted, rather than a curated answer. */
  sentenceAnswer: (speaker: string) =>
    speaker === NARRATOR ? 'The article says:' : `The article quotes ${speaker}:`,
  clarify: 'I am not sure which of these you mean. Did you mean:',
  clarifyLowConfidence: "I'm not sure I understood. Did you mean one of these?",
  quote: Object.freeze({
    none: (what: string) => `The article has no direct quote ${what}.`,
    title: (speaker: string) => `Quote: ${speaker}`,
    topicTitle: (topic: string) => `Quote: ${topic}`,
    found: (shown: number, found: number) =>
      shown < found
        ? `The first ${shown} of ${found} direct quotes that match; add a speaker or a topic to narrow it.`
        : found === 1
          ? 'One direct quote matches.'
          : `${found} direct quotes match.`,
    listTitle: 'Direct quotes in the article',
    all: (count: number, example: string) =>
      `${count} direct quotes. Ask for one by speaker or topic, e.g. ${example}.`,
  }),
  followUp: Object.freeze({
    nothingMore:
      "That's everything the article says on this. You could ask about something else, for example:",
    source: (headline: string, publisher: string) =>
      `From the article "${headline}" (${publisher}), in its own words:`,
  }),
  topicsTitle: 'What you can ask about',
  topicsFooter: 'Ask in your own words, or pick one of the questions below.',
  aboutTitle: 'About this bot',
  /** The article as it names itself; the link only when the knowledge base has the address. */
  about: (article: { headline: string; publisher: string; summary: string; url?: string }, intro: string) =>
    [
      `Article: "${article.headline}"`,
      `Publisher: ${article.publisher}`,
      ...(article.url ? [`Link: ${article.url}`] : []),
      '',
      article.summary,
      '',
      intro,
    ].join('\n'),
  helpTitle: 'How to use this bot',
  help: (intro: string, question: string) =>
    `${intro}\n\nJust type a question in plain words, for example "${question}". Commands:`,
});
