import { renderPlain } from '../adapters/console/render.ts';
import { loadConfig } from '../config.ts';
import { loadKnowledge } from '../core/knowledge.ts';
import { createQaService } from '../core/service.ts';
import { toJsonLine } from './json-line.ts';
import { readLines } from './lines.ts';
import { runMain } from './run-main.ts';
import { exitQuietlyWhenStdoutCloses, writeOut } from './stdout.ts';

/**
 * `npm run ask -- "who is kirby"` answers one question.
 * `npm run --silent ask -- --json` reads questions from stdin, one per line, and prints exactly one
 * JSON object per line on stdout, in order, and nothing else. Only `\n` ends a line (a bare `\r` stays
 * inside the question; a `\r` before `\n` is dropped), and a reader that stops early (`| head -1`)
 * ends the process quietly with exit 0.
 */
runMain(async () => {
  exitQuietlyWhenStdoutCloses();
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const question = args.filter((a) => a !== '--json').join(' ');
  const config = loadConfig();
  const service = createQaService(loadKnowledge(config.knowledgeFile));

  if (question) {
    const reply = service.ask(question);
    process.stdout.write(
      json ? `${JSON.stringify(toJsonLine(question, reply))}\n` : `${renderPlain(reply)}\n`,
    );
    return;
  }
  if (!json) {
    process.stderr.write(
      'usage: npm run ask -- "your question"   or   npm run --silent ask -- --json < questions.txt\n',
    );
    process.exitCode = 2;
    return;
  }
  for await (const line of readLines(process.stdin)) {
    await writeOut(process.stdout, `${JSON.stringify(toJsonLine(line, service.ask(line)))}\n`);
  }
});
