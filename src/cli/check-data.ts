import { loadKnowledge } from '../core/knowledge.ts';
import { runMain } from './run-main.ts';

/** `npm run check-data [-- path/to/knowledge.json]`: validates the knowledge base, as start-up does. */
runMain(async () => {
  const kb = loadKnowledge(process.argv[2]);
  const questions = kb.entries.reduce((n, e) => n + e.questions.length, 0);
  process.stdout.write(
    `Knowledge base OK: ${kb.entries.length} entries (${questions} sample questions), ${kb.gaps.length} gaps, ${kb.quotes.length} quotes; every quote verbatim in the article and every sentence covered.\n`,
  );
});
