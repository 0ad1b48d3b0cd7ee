import { alternation } from '../text.ts';
import { ACKNOWLEDGEMENTS, QUESTION_OPENERS } from './lexicon.ts';

/** Any of these phrases, with any run of spaces between its words (the text is not folded yet). */
const alternatives = (list: readonly string[]) => alternation(list).replaceAll(' ', '\\s+');

/** Markup a chat client wraps a word in ("_cool_", "**ok**"). */
const MARKUP = '[*_~`]*';
/**
 * What closes an acknowledgement: punctuation or an emoji ("cool, ...", "cool? ...", "ok!!! ...",
 * "cool 👍 ..."); a dot or a dash only before a space or the end, so "well-known", "k-pop" and
 * "sure.com" stay words.
 */
const CLOSER = '(?:[,!?;:…–—]|\\.+(?=\\s|$)|-+(?=\\s|$)|\\p{Extended_Pictographic})';

/**
 * A run of acknowledgements at the start of a message, each closed by punctuation or followed by
 * a word that opens a question ("alright who ..."). Matched on the text before case folding,
 * since folding drops the punctuation that tells "great, article?" from "great article".
 */
const LEADING = new RegExp(
  `^\\s*(?:${MARKUP}(?:${alternatives(ACKNOWLEDGEMENTS)})${MARKUP}(?:\\s*${CLOSER}+\\s*|\\s+(?=(?:${alternatives(QUESTION_OPENERS)})\\b)))+`,
  'iu',
);

/**
 * The message without the acknowledgement it opens with, when something follows it; otherwise the
 * message as it is. The same for the knowledge base and for questions, and for the smalltalk and
 * follow-up intents ("cool, tell me more").
 */
export function stripAcknowledgements(text: string): string {
  const match = LEADING.exec(text);
  if (!match) return text;
  const rest = text.slice(match[0].length);
  return /[\p{L}\p{N}]/u.test(rest) ? rest : text;
}

/**
 * What `read` makes of the whole message, or else of what follows the acknowledgement it opens
 * with: "thanks, that helps" is thanks as a whole, "cool, tell me more" only past "cool,".
 */
export function readPastAcknowledgement<T>(
  text: string,
  read: (line: string) => T | undefined,
): T | undefined {
  const whole = read(text);
  if (whole !== undefined) return whole;
  const opened = stripAcknowledgements(text);
  return opened === text ? undefined : read(opened);
}
