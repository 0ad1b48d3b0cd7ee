/**
 * Vocabulary knowledge for matching: which surface words mean the same thing here.
 * Each group maps every listed word or phrase onto its first member (the canonical term).
 * Phrases (with spaces) are rewritten before tokenizing; single words after.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // People and places (aliases and common misspellings Fuse would not bridge).
  ['putin', 'vladimir putin', 'vladimir', 'vlad', 'putins', 'poutine', 'poutin'],
  ['zelensky', 'zelenskiy', 'zelenskyy', 'zelenskyi', 'zelenski', 'zelenskij', 'zelenskii', 'volodymyr', 'volodimir', 'zelinsky', 'zelenskyys', 'zelenskys'],
  ['kirby', 'john kirby', 'kirbys'],
  ['biden', 'joe biden', 'joe', 'bidens', 'potus'],
  ['usa', 'united states of america', 'united states', 'white house', 'whitehouse', 'washington', 'america', 'american', 'americans', 'us government', 'us administration', 'states'],
  ['russia', 'russian federation', 'russian', 'russians', 'moscow', 'kremlin', 'russias', 'rusia', 'russain'],
  ['ukraine', 'ukrainian', 'ukrainians', 'kyiv', 'kiev', 'ukrain', 'ukriane', 'ukranian', 'ukranians', 'ukraines'],
  ['cnn', 'c n n'],
  ['ibtimes', 'ib times', 'international business times'],
  ['allies', 'ally', 'allied', 'partners', 'west', 'western', 'westerners', 'supporters', 'backers'],
  // Concepts.
  ['war', 'wars', 'conflict', 'conflicts', 'fighting', 'fight', 'hostilities', 'warfare', 'combat'],
  ['invasion', 'invade', 'invaded', 'invading', 'incursion', 'intervention'],
  ['special military operation', 'special operation', 'smo', 'military operation', 'special military op'],
  ['negotiate', 'negotiation', 'negotiations', 'negotiating', 'negotiated', 'negotiates', 'peace talks', 'talks', 'diplomacy', 'diplomatic', 'diplomatically', 'dialogue', 'dialog', 'table'],
  ['agreement', 'deal', 'treaty', 'accord', 'settlement', 'compromise'],
  ['speak', 'talk', 'talking', 'speaking', 'chat', 'meet', 'meeting', 'call him', 'phone', 'sit down with'],
  ['end', 'ending', 'ended', 'ends', 'stop', 'stopping', 'stopped', 'finish', 'finished', 'over', 'conclude', 'halt', 'cease', 'ceasefire', 'wrap up', 'close'],
  ['peace', 'peaceful', 'truce'],
  ['goal', 'aim', 'aims', 'objective', 'purpose', 'intention', 'intent', 'target', 'plan', 'mission'],
  ['soon', 'sooner', 'soonest', 'quickly', 'quick', 'fast', 'asap', 'early', 'earlier', 'rapidly', 'hurry'],
  ['prison', 'jail', 'jailed', 'gaol', 'imprisonment', 'imprisoned', 'behind bars', 'locked up', 'lockup', 'incarceration', 'incarcerated', 'prisons'],
  ['penalty', 'punishment', 'punish', 'punished', 'sentence', 'sentenced', 'consequence', 'consequences', 'fine'],
  ['law', 'legislation', 'statute', 'bill', 'laws', 'legal'],
  ['prohibit', 'prohibited', 'banned', 'ban', 'bans', 'forbidden', 'forbid', 'illegal', 'outlawed', 'censored', 'censorship', 'not allowed', 'allowed', 'criminal', 'crime'],
  ['word', 'words', 'term', 'terms', 'phrase', 'label', 'wording', 'language', 'name', 'call it'],
  ['compulsory', 'mandatory', 'required', 'obliged', 'forced', 'must', 'have to', 'obligatory'],
  ['criticism', 'criticize', 'criticise', 'criticized', 'criticised', 'critical', 'slam', 'slammed', 'condemn', 'condemned', 'blast', 'blasted', 'dismissed', 'rejected', 'skeptical', 'sceptical', 'pushback'],
  ['react', 'reaction', 'reacted', 'response', 'respond', 'responded', 'reply', 'replied', 'answer', 'answered', 'think of'],
  ['year', 'years', 'yrs', 'yr'],
  ['15', 'fifteen'],
  ['10', 'ten'],
  ['month', 'months', 'mos'],
  ['long', 'lasting', 'lasted', 'duration', 'going on', 'ongoing'],
  ['loss', 'losses', 'lost', 'lose', 'losing', 'defeat', 'defeats', 'setback', 'setbacks', 'retreat', 'retreats'],
  ['violence', 'violent', 'attack', 'attacks', 'attacking', 'brutality', 'aggression', 'bombing', 'strikes'],
  ['escalate', 'escalation', 'escalating', 'escalated', 'intensify', 'intensifying', 'worsen'],
  ['civilian', 'civilians', 'noncombatants'],
  ['reporter', 'reporters', 'journalists', 'press', 'media'],
  ['publisher', 'published', 'publish', 'outlet', 'newspaper', 'website', 'site', 'publication', 'source'],
  ['article', 'story', 'piece', 'text', 'news', 'report', 'headline', 'post'],
  ['summary', 'summarize', 'summarise', 'tldr', 'tl dr', 'overview', 'gist', 'recap', 'main point', 'short version', 'in short'],
  ['first', '1st', 'firstly'],
  ['willing', 'ready', 'open', 'prepared', 'keen', 'eager', 'want to talk'],
  ['serious', 'seriousness', 'sincere', 'genuine', 'seriously', 'sincerity', 'real'],
  ['indication', 'sign', 'signs', 'signal', 'signals', 'evidence', 'hint', 'proof'],
  ['visit', 'visited', 'visiting', 'trip', 'travel', 'traveled', 'travelled', 'went', 'came', 'tour'],
  ['thursday', 'thurs', 'thu'],
  ['security', 'safety', 'threat', 'threats', 'danger', 'dangers'],
  ['spokesman', 'spokesperson', 'spokeswoman', 'spox', 'press secretary', 'representative', 'official', 'officials'],
  ['time', 'stall', 'stalling', 'delay', 'delaying'],
  ['futile', 'pointless', 'useless', 'empty', 'fake', 'insincere', 'trick', 'ploy'],
  ['give up', 'given up', 'gave up', 'giving up', 'abandon', 'abandoned', 'quit', 'surrender'],
  ['oppose', 'opponents', 'opponent', 'enemies', 'enemy', 'adversaries', 'adversary', 'against us', 'other side', 'opposition'],
  ['realisation', 'realization', 'realise', 'realize', 'understand', 'understanding'],
  ['copyright', 'rights reserved', '©'],
  ['president', 'presidents', 'pres', 'leader', 'head of state', 'leads'],
  ['who', 'whom', 'whose'],
  ['why', 'reason', 'reasons', 'how come', 'motive'],
  ['when', 'what day', 'which day', 'what time'],
  ['where', 'location', 'place', 'city', 'venue'],
  ['die', 'died', 'dead', 'deaths', 'death', 'killed', 'kill', 'casualties', 'casualty', 'wounded', 'toll', 'fatalities', 'lives'],
];

/** Words that carry no meaning for matching once a question has been recognised as one. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if of to in on at by for with from into onto about as is are was were be been being am ' +
    'do does did doing done have has had having i me my mine we our ours you your yours he him his she her hers ' +
    'it its they them their theirs this that these those there here what which whats thats wat wut wht ' +
    'how hows can could would should will shall may might must ' +
    'so such very really just also even still then than too any some all no not nor only own same other ' +
    'again further once more most much many lot lots ' +
    'tell told say says said saying explain know knew let please pls plz thanks thank hey hi hello yo bot ' +
    'ok okay um uh hmm lol lmao like actually basically exactly anyway kinda sorta gonna wanna u ur r ya ' +
    'mean means meant get got go goes going make made thing things stuff something anything ' +
    'according per via regarding re think does doesnt dont didnt isnt arent wasnt werent cant couldnt wont im ive ' +
    'yes yeah yep nope ever'
  ).split(/\s+/),
);

/**
 * Question words kept as tokens (they separate "who is Kirby" from "what did Kirby say")
 * but weighted low, since nearly every question has one.
 */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(['who', 'why', 'when', 'where']);
