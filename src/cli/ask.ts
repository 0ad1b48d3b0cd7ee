import { parseArgs } from 'node:util';
import { renderPlain } from '../adapters/console/render.ts';
import { loadConfig } from '../config.ts';
import { Conversations } from '../conversation/conversations.ts';
import { loadKnowledge } from '../core/knowledge.ts';
import { createQaService } from '../core/service.ts';
import { toJsonLine } from './json-line.ts';
import { readLines } from './lines.ts';
import { runMain } from './run-main.ts';
import { exitQuietlyWhenStdoutCloses, writeOut } from './stdout.ts';
import { CLI_TEXTS } from './texts.ts';

/**
 * `npm run ask -- "who is kirby"` answers one question.
 * `npm run --silent ask -- --json` reads questions from stdin, one per line, and prints exactly one
 * JSON object per line on stdout, in order, and nothing else. A line that is a JSON object
 * `{"conversation": "<id>", "q": "<text>"}` is answered in that conversation's context (so
 * "what did he say" follows the line before it in the same conversation); any other line stands
 * alone. Only `\n` ends a line (a bare `\r` stays inside the question; a `\r` before `\n` is
 * dropped), and a reader that stops early (`| head -1`) ends the process quietly with exit 0.
 */
runMain(async () => {
  exitQuietlyWhenStdoutCloses();
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${CLI_TEXTS.askUsage}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${CLI_TEXTS.askUsage}\n`);
    return;
  }
  const question = positionals.join(' ');
  const config = loadConfig();
  const service = createQaService(loadKnowledge(config.knowledgeFile));

  if (question) {
    const reply = service.ask(question);
    process.stdout.write(
      values.json ? `${JSON.stringify(toJsonLine(question, reply))}\n` : `${renderPlain(reply)}\n`,
    );
    return;
  }
  if (!values.json) {
    process.stderr.write(`${CLI_TEXTS.askUsage}\n`);
    process.exitCode = 2;
    return;
  }
  const conversations = new Conversations(service);
  for await (const line of readLines(process.stdin)) {
    const turn = conversationTurn(line);
    // Without a conversation id the line stands alone, like plain text.
    const reply = turn?.conversation
      ? (await conversations.ask(turn.conversation, turn.q)).reply
      : service.ask(turn?.q ?? line);
    await writeOut(process.stdout, `${JSON.stringify(toJsonLine(turn?.q ?? line, reply))}\n`);
  }
});

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
}

/** `{"conversation": "c1", "q": "..."}` as one line; anything else (plain text included) is not one. */
export function conversationTurn(line: string): { conversation: string; q: string } | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (!value || typeof value !== 'object') return undefined;
    const { conversation, q } = value as Record<string, unknown>;
    if (typeof q !== 'string') return undefined;
    return { conversation: typeof conversation === 'string' ? conversation : '', q };
  } catch {
    return undefined;
  }
}
