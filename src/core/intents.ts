import { readPastAcknowledgement } from './language/acknowledgements.ts';
import { foldCase } from './text.ts';

/** Conversational lines that are about the bot, not the article. */
export type SmalltalkIntent =
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'identity'
  | 'capabilities'
  | 'wellbeing'
  | 'complaint'
  | 'ack';

const FILLER =
  /\b(?:hey|hi|hello|yo|oh|ok|okay|so|um|uh|hmm|pls|plz|please|bot|there|again|very|much|man|dude|mate|buddy|guys|all|everyone|lol|lmao|haha|hah|ha)\b/g;

const SMALLTALK: readonly (readonly [SmalltalkIntent, RegExp])[] = [
  [
    'identity',
    /^(?:who|what) (?:are|r) (?:you|u|ya)\b|^(?:(?:are|r) )?(?:you|u) (?:a |an )?(?:bot|human|robot|ai|real|person|chatgpt|gpt)\b|^what(?:s| is)? your name\b|^(?:introduce yourself|who made you|who built you|who created you)\b|^what(?:s| is)? (?:your|ur) (?:purpose|job|goal|name|source|sources|data)\b|^how old (?:are|r) (?:you|u)\b|^(?:are|r) (?:you|u) (?:there|alive|awake|online|working)\b|^(?:any ?one|any ?body|is any ?one) (?:there|here|home)\b/,
  ],
  [
    'complaint',
    /^(?:bad|stupid|dumb|useless|terrible|awful|wrong|incorrect|unhelpful|not helpful|nonsense|rubbish|garbage)(?: bot| answer| reply| response)?$|^(?:you|u|ur|this|that|it|(?:the|that|this|your) answer)(?: is| are| re| was)? (?:so |really |completely |totally )?(?:wrong|useless|stupid|dumb|incorrect|unhelpful|not helpful|bad|broken|terrible|awful)\b|^(?:that|this|it)(?: is| s)? not what i (?:asked|meant|wanted)\b|^no (?:that|this|it)(?: is| s)? (?:wrong|not right|incorrect)\b|^(?:doesnt|does not|didnt|did not) (?:help|answer)\b|^(?:that |this |it )?(?:makes no sense|(?:doesnt|does not) make (?:any )?sense)$/,
  ],
  [
    'capabilities',
    /^(?:what|wat|wut) (?:can|do|could) (?:you|u|i) (?:do|ask|answer|help)|^how (?:does|do) (?:this|it|you|i use this|i use you) ?(?:work|use)?|^how (?:do|can) i use\b|^(?:help|commands|menu|usage|start|info|options)$|^what (?:do|can) you know\b|^what (?:(?:kinds?|sorts?|types?) of )?(?:questions|things|stuff) (?:can|could|should|do) (?:i|we) ask\b|^(?:can|could) you help\b|^what is this(?: bot)?$|^what are you for\b|^help me\b|^i need help\b/,
  ],
  [
    'greeting',
    /^(?:hi+|hello+|hey+|heya|hiya|howdy|yo+|sup|wassup|whats? up|good (?:morning|afternoon|evening|day)|greetings|hola|salut|hallo|privet|gm)$/,
  ],
  [
    'wellbeing',
    // foldCase drops a "'s" ("how's it going" is folded to "how it going"), so that form is here too.
    // Anchored at the end: "how is it going in ukraine" is a question, not a greeting.
    /^(?:how are (?:you|u)|how r u|how(?:s| is)? it going|how(?: are| is|s)? things|how(?: is|s)? (?:your|ur) day|how you doing|how are you doing)(?: (?:doing|today|now|going|then|mate|bot))*$/,
  ],
  [
    'thanks',
    /^(?:thanks?|thank (?:you|u)|thx|tnx|ty|tysm|cheers|much appreciated|appreciate it|merci|danke|great|good|nice|cool|awesome|perfect|amazing|helpful|very helpful|good (?:bot|job|answer|stuff)|nice (?:bot|one|job)|great (?:bot|job|answer)|well done|(?:you|u|ur)(?: are| r)? (?:so |pretty |really |very |quite )?(?:cool|great|awesome|smart|helpful|amazing|nice|brilliant|the best))(?: (?:thanks?|thank you|that helps|that helped|got it))?$/,
  ],
  [
    'goodbye',
    /^(?:bye+|goodbye|good bye|see (?:you|ya|u)(?: later)?|cya|later|laters|good night|gn|farewell|ciao|im done|that is all|thats all)$/,
  ],
  [
    'ack',
    /^(?:k|kk|ok|okay|alright|got it|i see|understood|fair enough|(?:that |it )?makes sense(?: to me| now)?|fine|sure|yes|no|yeah|nah|yep|nope|right|interesting|wow|huh|oh|lol|lmao|haha|hm+|meh)$/,
  ],
];

/**
 * Words that make up short social lines ("cool cool", "you're awesome", "cya later"); a line made
 * only of these is smalltalk, classified by the first word that has an intent of its own.
 */
const social = (intent: SmalltalkIntent | null, list: string) =>
  list.split(' ').map((w): [string, SmalltalkIntent | null] => [w, intent]);
// Neutral words first, so the words with an intent of their own override them.
const SOCIAL_WORDS: ReadonlyMap<string, SmalltalkIntent | null> = new Map([
  ...social(
    null,
    'you u youre ur are r so the very really much a an bot man dude mate buddy again all there too just it that ' +
      'this is got i good job work one and for help answer answers take care have day now everyone guys lot lots ' +
      'ton tons bunch of me my was were anyone anybody someone thats its',
  ),
  ...social('greeting', 'hi hello hey heya hiya howdy yo sup greetings morning evening afternoon gm'),
  ...social(
    'thanks',
    'thanks thank thx ty tysm cheers appreciate appreciated awesome great cool nice amazing perfect helpful ' +
      'brilliant excellent legend best love wonderful fantastic neat sweet',
  ),
  ...social('goodbye', 'bye goodbye cya later laters farewell ciao night gn soon'),
  ...social(
    'ack',
    'ok okay k kk alright sure yes no yeah nah yep nope lol lmao haha hah ha wow huh hmm hm interesting ' +
      'understood gotcha meh oh ah see brb afk np test testing ping',
  ),
]);

function socialIntent(folded: string): SmalltalkIntent | undefined {
  const ws = folded.split(' ');
  if (ws.length > 8) return undefined;
  let intent: SmalltalkIntent | undefined;
  for (const w of ws) {
    // A number rides along with social words ("testing 123") but is never smalltalk alone.
    if (/^\d{1,4}$/.test(w)) continue;
    if (!SOCIAL_WORDS.has(w)) return undefined;
    // An acknowledgement is the weakest reading: "ok thanks" thanks, "interesting, bye" says bye.
    const said = SOCIAL_WORDS.get(w);
    if (intent === undefined || intent === 'ack') intent = said ?? intent;
  }
  return intent;
}

/** Classifies a whole line as smalltalk; a line that also asks about the article is not smalltalk. */
export function detectSmalltalk(text: string): SmalltalkIntent | undefined {
  return readPastAcknowledgement(text, smalltalkOf);
}

function smalltalkOf(text: string): SmalltalkIntent | undefined {
  const folded = foldCase(text);
  if (!folded) return emojiIntent(text);
  const stripped = folded.replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
  for (const [intent, pattern] of SMALLTALK) {
    if (pattern.test(folded) || (stripped && pattern.test(stripped))) return intent;
  }
  const social = socialIntent(folded);
  if (social) return social;
  // Only filler words left ("hey bot", "lol ok"): a greeting or an acknowledgement.
  if (!stripped) return /\b(?:hi|hello|hey|yo)\b/.test(folded) ? 'greeting' : 'ack';
  return undefined;
}

/** Follow-ups that need no matching: more on the last answer, or its source. */
export type FollowUpIntent = 'more' | 'source';

const FOLLOW_UP: readonly (readonly [FollowUpIntent, RegExp])[] = [
  [
    'more',
    /^(?:(?:tell|show|give) (?:me )?(?:some )?more\b|more(?: info| details?| on (?:that|this|it))?$|(?:what|anything) else\b(?!.*\b(?:about|on)\b)|(?:(?:did|does|has) (?:\S+ ){1,2}(?:say|mention|said|add) )?(?:anything|something) else$|(?:is|was) anything else$|and$|go on$|continue$|keep going$|(?:expand|elaborate|explain)(?: on)?(?: (?:that|this|it))?(?: (?:more|further))?$|details$)/,
  ],
  [
    'source',
    /^(?:sources?|src|proof|evidence|citation|cite|link|says who|who says|who (?:said|says|wrote) (?:it|that|this)|how do (?:you|u) know|(?:according to|per) (?:who|whom|what)|based on what|what(?: is|s)? (?:that|this|it) based on|who claims (?:that|this|it)|where (?:does it|did (?:you|u)|do (?:you|u)) (?:say|read|get|find) (?:that|this|it)|what(?: is|s)? (?:the|ur|your) source|what does (?:that|this|it) mean|meaning)$/,
  ],
];

/** "tell me more", "source?": a follow-up about the last answer itself, not a new question. */
export function detectFollowUpIntent(text: string): FollowUpIntent | undefined {
  const intent = (line: string) => {
    const folded = foldCase(line).replace(FILLER, ' ').replace(/\s+/g, ' ').trim();
    return FOLLOW_UP.find(([, pattern]) => pattern.test(folded))?.[0];
  };
  return readPastAcknowledgement(text, intent);
}

/** A line of emoji alone ("👍", "🙏🙏") is a reaction: disapproval or an acknowledgement. */
function emojiIntent(text: string): SmalltalkIntent | undefined {
  if (!/\p{Extended_Pictographic}/u.test(text) || /[\p{L}\p{N}]/u.test(text)) return undefined;
  return /[\u{1F44E}\u{1F621}\u{1F620}\u{1F92C}\u{1F612}]/u.test(text) ? 'complaint' : 'ack';
}

const INJECTION: readonly RegExp[] = [
  /^(?:system|assistant|admin|developer|root|operator)\b/,
  /\b(?:ignore|disregard|forget)\b.{0,20}\b(?:the article|this article|the text|your sources?|the facts)\b/,
  /\b(?:article|text) (?:has been|was|is) (?:updated|changed|edited|modified)\b/,
  /\b(?:ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(?:instructions?|rules|prompts?|guidelines|directions|previous|above|prior|everything|programming|restrictions|constraints)\b/,
  /\bsystem (?:prompt|message|instructions?)\b/,
  /\b(?:reveal|show|print|repeat|output|leak|dump|tell me)\b.{0,30}\b(?:prompt|instructions|configuration|config|rules|secrets?|token|api key|env)\b/,
  /\byou are (?:now|no longer)\b/,
  /\b(?:pretend|act|behave|roleplay|role play) (?:to be|you are|as if|as an?|like)\b/,
  /\bact as\b/,
  /\bpretend\b/,
  /\bconfirm (?:it|this|that)\b/,
  /\bjailbr[ea]+k/,
  /\b(?:dan|developer|god|admin|sudo) mode\b/,
  /\bdo anything now\b/,
  /\bfrom now on\b.{0,40}\b(?:you|answer|respond|reply|say)\b/,
  /\bnew (?:instructions|rules|persona)\b/,
];

/** Requests to change the bot's behaviour rather than ask about the article. */
export function looksLikeInjection(text: string): boolean {
  const folded = foldCase(text);
  return INJECTION.some((pattern) => pattern.test(folded));
}

/** True when most letters are outside the Latin script (the knowledge base is English). */
export function mostlyNonLatin(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return false;
  const latin = letters.filter((ch) => /\p{Script=Latin}/u.test(ch)).length;
  return latin / letters.length < 0.5;
}
