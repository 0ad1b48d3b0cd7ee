/** Shows how the engine sees a question: `npx tsx test/eval/explain.ts "who is kirby"`. */
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';

// Piping into head closes stdout early; that is not an error.
process.stdout.on('error', () => process.exit(0));
const service = createQaService(loadKnowledge());
const f2 = (x: number) => x.toFixed(2);
for (const question of process.argv.slice(2)) {
  const seen = service.inspect(question);
  const reply = service.ask(question);
  console.log(`${JSON.stringify(question)} -> ${reply.kind}${'entryId' in reply ? ` ${reply.entryId}` : ''}`);
  if (seen.screened) continue;
  console.log(
    `  terms: ${seen.terms.map((t) => `${t.word}=${t.tokens.join('/')}(${f2(t.weight)}${t.credit < 1 ? ` x${t.credit}` : ''}${t.known ? '' : ' ?'})`).join(' ')}`,
  );
  for (const g of seen.gaps ?? []) console.log(`  gap ${g.id} ${f2(g.score)}`);
  for (const c of seen.candidates) {
    const f = Object.entries(c.features)
      .map(([k, v]) => `${k}=${f2(v)}`)
      .join(' ');
    console.log(
      `  p=${f2(c.probability)} ${c.kind} ${c.id} <- ${JSON.stringify(c.matchedQuestion.slice(0, 60))}\n      ${f}`,
    );
  }
}
