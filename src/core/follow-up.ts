import { CONTINUATIONS, PRONOUNS, QUESTION_WORDS } from './language/lexicon.ts';
import type { Vocabulary } from './language/vocabulary.ts';
import type { Suggestion } from './reply.ts';
import { cleanInput, words } from './text.ts';

/** What a conversation remembers of its last answered turn, to read the next message against. */
export interface PreviousTurn {
  /** The question as it was understood (a follow-up's reading, not its bare words). */
  readonly question: string;
  /** The entry that answered it, if one did. */
  readonly entryId?: string;
  /** Entries already shown in this conversation, so "more" does not repeat them. */
  readonly shown?: readonly string[];
  /**
   * The suggestions the last reply offered, in order, so a number typed next ("2") picks one on
   * any platform, and one that is not offered is told so. Empty `question`: nothing asked yet.
   */
  readonly offered?: readonly Suggestion[];
}

const INTERROGATIVES = new Set([
  'what',
  'which',
  'who',
  'whom',
  'whose',
  'why',
  'when',
  'where',
  'how',
  'howmany',
]);
const PERSONAL = new Set(['he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'theirs']);

/**
 * True when a message cannot stand on its own: it points back with a pronoun ("how old is he"),
 * opens as a continuation ("and the us?"), or has no subject beyond a question word ("why?").
 * Such a message is read in context; any other is read both ways and the surer reading wins.
 */
export function dependsOnContext(vocabulary: Vocabulary, message: string): boolean {
  const { words: folded, tokens } = parse(vocabulary, message);
  if (folded.some((w) => PRONOUNS.has(w))) return true;
  if (folded[0] !== undefined && CONTINUATIONS.has(folded[0])) return true;
  if (folded[0] === 'what' && folded[1] === 'about') return true;
  return tokens.every((t) => QUESTION_WORDS.has(t));
}

/** A text's folded words and its canonical tokens (as `Vocabulary.tokens`), normalized once. */
function parse(vocabulary: Vocabulary, text: string): { words: string[]; tokens: string[] } {
  const folded = words(vocabulary.normalize(cleanInput(text)));
  const tokens = new Set<string>();
  for (const word of folded) {
    const token = vocabulary.token(word);
    if (token !== undefined) tokens.add(token);
  }
  return { words: folded, tokens: [...tokens] };
}

/** Words of the previous reading carried into a follow-up; older words fall off the end. */
const MAX_CARRIED_WORDS = 12;

/**
 * Reads a message as a follow-up: its own words first, then the previous question's informative
 * words, except those the message replaces. A name in the message replaces the previous names ("and
 * the us?" after a question about Ukraine's allies asks the same of the US); a question word
 * replaces the previous question word ("why?", "when?"); pronouns are stopwords, so "what's his
 * job" after "who is kirby" keeps "kirby". Whether this reading or the message alone is meant is
 * decided by the calibrated confidence of each (qa-service), not here.
 */
export function readInContext(vocabulary: Vocabulary, message: string, previous: string): string {
  const { words: ownWords, tokens: own } = parse(vocabulary, message);
  const ownSet = new Set(own);
  const earlier = parse(vocabulary, previous);
  // "what did he say about putin" after a question about Kirby: "he" is still Kirby.
  const pointsBack = ownWords.some((w) => PERSONAL.has(w));
  const namesReplaced = !pointsBack && own.some((t) => vocabulary.isName(t));
  // Any question word of its own ("what did he say...") replaces the previous one ("who is...").
  const questionWordReplaced = ownWords.some((w) => INTERROGATIVES.has(w));
  // The message brings its own predicate when it has content words ("how old is he"), or points
  // back at someone while naming someone new ("what did he say about biden": "say about" are
  // stopwords, but Biden is the object and "he" the subject from before).
  const before = new Set(earlier.tokens);
  const newName = own.some((t) => vocabulary.isName(t) && !before.has(t));
  const ownPredicate =
    own.some((t) => !vocabulary.isName(t) && !QUESTION_WORDS.has(t)) || (pointsBack && newName);
  const carried: string[] = [];
  const seen = new Set<string>();
  for (const word of earlier.words) {
    const token = vocabulary.token(word);
    if (token === undefined || ownSet.has(token) || seen.has(token)) continue;
    if (namesReplaced && vocabulary.isName(token)) continue;
    // A message with a predicate of its own ("what did he say about biden" after "kirby's job?")
    // takes only the subject from before: its names.
    if (ownPredicate && !vocabulary.isName(token)) continue;
    if (questionWordReplaced && QUESTION_WORDS.has(token)) continue;
    seen.add(token);
    carried.push(word);
    if (carried.length >= MAX_CARRIED_WORDS) break;
  }
  return carried.length ? `${message.trim()} ${carried.join(' ')}` : message;
}
