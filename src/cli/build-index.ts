import { KnowledgeError, loadKnowledge } from '../core/knowledge.ts';
import { Matcher } from '../core/matcher.ts';
import { MATCHER_DEFAULTS } from '../core/matcher-config.ts';
import { DEFAULT_INDEX, writeIndex } from '../core/matcher-index.ts';
import { CLI_TEXTS } from './texts.ts';

/**
 * Run by `npm run build` after compiling: saves the default knowledge base, tokenized, beside the
 * compiled engine (matcher-index.ts), so `npm start` loads it instead of building it. A knowledge
 * base that does not load is reported by `npm run check-data` and at start-up; here it only means
 * there is no index, so installing still works.
 */
try {
  const kb = loadKnowledge();
  writeIndex(DEFAULT_INDEX, new Matcher(kb, MATCHER_DEFAULTS), kb, MATCHER_DEFAULTS);
} catch (error) {
  if (!(error instanceof KnowledgeError)) throw error;
  process.stderr.write(`${CLI_TEXTS.noIndex(error.message)}\n`);
}
