/** Shows how the matcher sees a question: `npx tsx test/eval/explain.ts "who is kirby"`. */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { Matcher } from '../../src/core/matcher.ts';

// Piping into head closes stdout early; that is not an error.
process.stdout.on('error', () => process.exit(0));
const matcher = new Matcher(loadKnowledge());
for (const question of process.argv.slice(2)) {
  const { tokens, unknown, ranked } = matcher.analyze(question);
  console.log(
    `${JSON.stringify(question)}\n  tokens: ${tokens.map((t) => `${t}(${matcher.weight(t).toFixed(2)})`).join(' ')}`,
  );
  if (unknown.length) console.log(`  unknown: ${unknown.join(' ')}`);
  for (const m of ranked.slice(0, 5)) {
    console.log(
      `  ${m.score.toFixed(3)} ${m.candidate.kind} ${m.candidate.id}  <- ${JSON.stringify(m.matchedQuestion)}`,
    );
  }
}
