import { loadKnowledge } from '../core/knowledge.ts';
import { Matcher } from '../core/matcher.ts';
import { MATCHER_DEFAULTS } from '../core/matcher-config.ts';
import { DEFAULT_INDEX, writeIndex } from '../core/matcher-index.ts';

/**
 * Run by `npm run build` after compiling: saves the default knowledge base, tokenized, beside the
 * compiled engine (matcher-index.ts), so `npm start` loads it instead of building it.
 */
const kb = loadKnowledge();
writeIndex(DEFAULT_INDEX, new Matcher(kb, MATCHER_DEFAULTS), kb, MATCHER_DEFAULTS);
