// biome-ignore-all format: one synonym group per line keeps the vocabulary reviewable.
/**
 * General English vocabulary for matching: which surface words mean the same thing in questions
 * about news. Each group maps every listed word or phrase onto its first member (the canonical
 * term). Names and aliases of one article belong in that article's data (`lexicon` in the
 * knowledge file), never here. Words are matched as written or by their dictionary form (lemma),
 * never by a stem, so that "stated" does not become "states".
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['allies', 'ally', 'allied', 'partners', 'west', 'western', 'westerners', 'supporters', 'backers'],
  ['war', 'wars', 'conflict', 'conflicts', 'fighting', 'fight', 'hostilities', 'warfare', 'combat'],
  ['invasion', 'invade', 'invaded', 'invading', 'incursion', 'intervention'],
  ['negotiate', 'negotiation', 'negotiations', 'negotiating', 'negotiated', 'negotiates', 'peace talks', 'talks', 'diplomacy', 'diplomatic', 'diplomatically', 'dialogue', 'dialog', 'table'],
  ['agreement', 'deal', 'treaty', 'accord', 'settlement', 'compromise'],
  ['speak', 'talk', 'talking', 'speaking', 'chat', 'meet', 'meeting', 'call him', 'phone', 'sit down with'],
  ['end', 'ending', 'ended', 'ends', 'stop', 'stopping', 'stopped', 'finish', 'finished', 'over', 'conclude', 'halt', 'cease', 'ceasefire', 'wrap up', 'close'],
  ['peace', 'peaceful', 'truce'],
  ['goal', 'aim', 'aims', 'objective', 'purpose', 'intention', 'intent', 'target', 'plan', 'mission', 'point of'],
  ['soon', 'sooner', 'soonest', 'quickly', 'quick', 'fast', 'asap', 'early', 'earlier', 'rapidly', 'hurry'],
  ['prison', 'jail', 'jailed', 'gaol', 'imprisonment', 'imprisoned', 'behind bars', 'locked up', 'lockup', 'incarceration', 'incarcerated', 'prisons'],
  ['penalty', 'punishment', 'punish', 'punished', 'sentence', 'sentenced', 'consequence', 'consequences', 'fine'],
  ['law', 'legislation', 'statute', 'bill', 'laws', 'legal'],
  ['prohibit', 'prohibited', 'banned', 'ban', 'bans', 'forbidden', 'forbid', 'illegal', 'outlawed', 'censored', 'censorship', 'not allowed', 'allowed', 'criminal', 'crime'],
  ['word', 'words', 'term', 'terms', 'phrase', 'label', 'wording', 'language', 'name', 'call it'],
  ['compulsory', 'mandatory', 'required', 'obliged', 'forced', 'must', 'have to', 'obligatory'],
  ['criticism', 'criticize', 'criticise', 'criticized', 'criticised', 'critical', 'slam', 'slammed', 'condemn', 'condemned', 'blast', 'blasted', 'dismissed', 'rejected', 'skeptical', 'sceptical', 'pushback'],
  ['react', 'reaction', 'reacted', 'response', 'respond', 'responded', 'reply', 'replied', 'answer', 'answered', 'think of', 'received', 'receive', 'reception', 'welcomed', 'praise', 'praised', 'positive', 'negative', 'cool with', 'happy with', 'take on', 'stance', 'feel about', 'position', 'view', 'views', 'viewpoint', 'perspective'],
  ['year', 'years', 'yrs', 'yr'],
  ['15', 'fifteen'],
  ['10', 'ten'],
  ['1', 'one'],
  ['2', 'two'],
  ['3', 'three'],
  ['4', 'four'],
  ['5', 'five'],
  ['6', 'six'],
  ['7', 'seven'],
  ['8', 'eight'],
  ['9', 'nine'],
  ['11', 'eleven'],
  ['12', 'twelve'],
  ['20', 'twenty'],
  ['month', 'months', 'mos'],
  ['long', 'lasting', 'lasted', 'duration', 'going on', 'ongoing'],
  ['loss', 'losses', 'lost', 'lose', 'losing', 'defeat', 'defeats', 'setback', 'setbacks', 'retreat', 'retreats'],
  ['violence', 'violent', 'attack', 'attacks', 'attacking', 'brutality', 'aggression', 'bombing', 'strikes'],
  ['escalate', 'escalation', 'escalating', 'escalated', 'intensify', 'intensifying', 'worsen'],
  ['civilian', 'civilians', 'noncombatants'],
  ['reporter', 'reporters', 'journalists', 'press', 'media'],
  ['publisher', 'published', 'publish', 'outlet', 'newspaper', 'website', 'site', 'publication', 'source'],
  ['article', 'story', 'piece', 'text', 'news', 'report', 'post'],
  ['headline', 'title', 'heading', 'headlines'],
  ['fullname', 'first name', 'full name', 'last name', 'surname', 'given name'],
  ['role', 'job', 'occupation', 'profession', 'works as', 'work for'],
  ['opinion', 'opinions', 'personal', 'your view', 'wrong', 'lying', 'lie', 'lies', 'liar', 'should', 'deserve', 'evil', 'agree', 'fault', 'good guy', 'bad guy'],
  ['thursday', 'monday', 'tuesday', 'wednesday', 'friday', 'saturday', 'sunday', 'weekday', 'day of the week', 'thurs', 'thu'],
  ['summary', 'summarize', 'summarise', 'tldr', 'tl dr', 'overview', 'gist', 'recap', 'main point', 'short version', 'in short', 'eli5', 'explain like', 'in 2 lines', 'in two lines', 'briefly', 'short summary', 'nutshell', 'in a nutshell', 'basically', 'what happened', 'what going on', 'what is going on', 'what happening', 'what is happening', 'what this about', 'what is this about', 'what is it about', 'what it about', 'the story', 'the big picture', 'key points', 'main points', 'highlights'],
  ['first', '1st', 'firstly', 'always', 'previously', 'ever before', 'never before', 'for the first time'],
  ['willing', 'ready', 'open', 'prepared', 'keen', 'eager', 'want to talk'],
  ['serious', 'seriousness', 'sincere', 'genuine', 'seriously', 'sincerity', 'real'],
  ['indication', 'sign', 'signs', 'signal', 'signals', 'evidence', 'hint', 'proof'],
  ['visit', 'visited', 'visiting', 'trip', 'travel', 'traveled', 'travelled', 'went', 'came', 'tour', 'flew', 'fly', 'flying', 'flight', 'journey'],
  ['security', 'safety', 'threat', 'threats', 'danger', 'dangers'],
  ['spokesman', 'spokesperson', 'spokeswoman', 'spox', 'press secretary', 'representative', 'official', 'officials'],
  ['time', 'stall', 'stalling', 'delay', 'delaying'],
  ['futile', 'pointless', 'useless', 'empty', 'fake', 'insincere', 'trick', 'ploy'],
  ['giveup', 'give up', 'given up', 'gave up', 'giving up', 'gives up', 'abandon', 'abandoned', 'quit', 'surrender'],
  ['oppose', 'opponents', 'opponent', 'enemies', 'enemy', 'adversaries', 'adversary', 'against us', 'other side', 'opposition'],
  ['realisation', 'realization', 'realise', 'realize', 'understand', 'understanding'],
  ['president', 'presidents', 'pres', 'leader', 'head of state', 'leads'],
  ['who', 'whom', 'whose'],
  ['why', 'reason', 'reasons', 'how come', 'motive'],
  ['when', 'wen', 'what day', 'which day', 'what time', 'what year', 'which year', 'what date', 'which date', 'what month', 'which month', 'how soon after', 'since when'],
  ['howmany', 'how many', 'how much', 'number of', 'amount of', 'how big', 'how large', 'what percentage', 'what percent'],
  ['where', 'location', 'place', 'city', 'venue'],
  ['die', 'died', 'dead', 'deaths', 'death', 'killed', 'kill', 'casualties', 'casualty', 'wounded', 'toll', 'fatalities', 'lives lost', 'lost lives', 'loss of life', 'loss of lives'],
  ['aftermath', 'end up', 'ended up', 'next year', 'afterwards', 'since then', 'later on', 'what happened next', 'happened later', 'in the future', 'future', 'yet', 'so far', 'still', 'anymore', 'currently', 'today', 'these days', 'right now', 'as of now', 'latest news', 'update', 'updates', 'when will', 'going to end', 'will it end', 'will end'],
  ['eventually', 'sooner or later', 'in the end', 'one way or another', 'ultimately', 'at some point', 'someday'],
  ['told', 'tell', 'tells', 'telling'],
  ['statement', 'statements', 'remarks', 'remark', 'comments', 'comment', 'announcement', 'declaration', 'speech', 'address', 'tv address'],
  ['behaviour', 'behavior', 'behave', 'conduct', 'actions', 'action', 'doing'],
  ['describe', 'description', 'describes', 'described', 'refer to', 'refers to', 'characterize', 'characterise'],
  ['age', 'old', 'years old', 'born', 'birthday', 'birth', 'aged'],
  ['background', 'career', 'biography', 'bio', 'education', 'family', 'wife', 'husband', 'children', 'kids', 'married', 'net worth', 'salary', 'health', 'sick', 'ill'],
  ['copyright', 'rights reserved', 'the rights', 'owns the rights', 'copyrighted'],
];

/**
 * Phrases that frame a question without changing it ("is it true that…", "…, right?"),
 * removed before matching so they neither add nor take away evidence.
 */
export const FILLER_PHRASES: readonly string[] = [
  'is it true that',
  'is it true',
  'is that true',
  'is this true',
  'is that right',
  'is that correct',
  'true or false',
  'right',
  'correct',
  'according to the article',
  'according to this article',
  'in the article',
  'in this article',
  'does the article say',
  'does the article mention',
  'the article says',
  'the article said',
  'does it say',
  'can you tell me',
  'could you tell me',
  'tell me',
  'i want to know',
  'i wanna know',
  'i would like to know',
  'i wonder',
  'do you know',
  'i am not understand',
  'i dont understand',
  'explain to me',
  'quick question',
  'question',
];

/**
 * What a chat message opens with to acknowledge the last reply before asking on ("cool, and what
 * did the us say", "fair enough, who is kirby"): see `stripAcknowledgements`. "fine" and "no" are
 * not here: "fine for saying war?" and "no one was jailed?" open with a word of the question.
 */
export const ACKNOWLEDGEMENTS: readonly string[] = [
  'fair enough',
  'good to know',
  'got it',
  'gotcha',
  'i see',
  'makes sense',
  'that makes sense',
  'noted',
  'understood',
  'cool',
  'nice',
  'neat',
  'sweet',
  'great',
  'awesome',
  'perfect',
  'interesting',
  'sure',
  'alright',
  'all right',
  'ok',
  'okay',
  'k',
  'kk',
  'well',
  'wow',
  'ah',
  'oh',
  'huh',
  'hmm',
  'hmmm',
  'lol',
  'lmao',
  'haha',
  'yeah',
  'yep',
  'yup',
  'yes',
  'nope',
  'nah',
  'thanks',
  'thank you',
  'thx',
  'ty',
];

/**
 * Words that open a question or a follow-up: an acknowledgement right before one is chat even
 * without a comma ("alright who is kirby"), while before anything else it may be part of what
 * is said ("great article", "nice try").
 */
export const QUESTION_OPENERS: readonly string[] = (
  'who whom whose what whats which when where why how is are was were do does did can could will ' +
  'would should has have had and but so also plus then tell give explain'
).split(' ');

/** Words that carry no meaning for matching once a question has been recognised as one. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about abt according actually again all also am an and any anything anyway are arent as at ' +
    ' bc be been being bot btw but by can cant could couldnt coz cuz did didnt do does doesnt ' +
    ' done dont even ever exactly explain for from further get go goes going gonna got gotta guy ' +
    'guys had happen has have having he hello her here hers hey hi him his hmm how hows i idk if im imo ' +
    'in into is isnt it its ive just kind kinda knew know let like lmao lol lot lots made make many may ' +
    'me mean means meant might mine more most much  my never no nope nor not now of ok okay on once ' +
    'only onto or other our ours own people per person please pls plz ppl r re really regarding rn said ' +
    'same say saying says shall she so some somebody someone something sort sorta  stuff such tbh ' +
    ' than thank thanks that thats the their theirs them then there these they thing things think ' +
    'this tho those to  too u uh um up ur very via w wanna was wasnt wat wats wuts wots we were werent what whats ' +
    'whether which wht will with wont would wut ya yeah yep yes yo you your yours mention mentioned mentions mentioning exactly specifically actually literally apparently supposedly clearly honestly claim claims claimed hes shes mr mrs ms bunch vs versus everyone everybody anybody ' +
    // Chat interjections and abbreviations: tone, not content ("haha" is otherwise corrected to "aha").
    'haha hahaha hah lmfao rofl wtf omg ngl imho fr bruh smh yea thx ty rly dude bro ugh oh wow huh damn heck fyi iirc afaik jk'
  ).split(/\s+/),
);

/** Words that point back at something said before: a message using them may be a follow-up. */
export const PRONOUNS: ReadonlySet<string> = new Set(
  'he him his she her hers they them their theirs it its this that these those there then'.split(' '),
);

/** Openings of an elliptical follow-up: "and the us?", "what about kirby", "but why". */
export const CONTINUATIONS: ReadonlySet<string> = new Set('and but so also plus'.split(' '));

/**
 * Question words kept as tokens (they separate "who is Kirby" from "what did Kirby say")
 * but weighted low, since nearly every question has one.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(['who', 'why', 'when', 'where', 'howmany']);

/**
 * Question words that fix the kind of answer: a "when" question needs a time, a "who" question a
 * person. "Why" does not: false premises ("why did X never…") are answered by any fact.
 */
export const TYPED_QUESTION_WORDS: ReadonlySet<string> = new Set(['who', 'when', 'where', 'howmany']);
