import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROCESS_TEXTS } from '../../src/cli/texts.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Runs the TypeScript entry points directly, so the test does not depend on a build; no .env is read
// because every platform variable is blanked.
const cleanEnv = {
  ...process.env,
  TELEGRAM_BOT_TOKEN: '',
  DISCORD_TOKEN: '',
  DISCORD_APPLICATION_ID: '',
  LOG_LEVEL: 'silent',
  // Nothing recorded into the checkout's var/ (npm start records by default).
  QUESTION_LOG: 'off',
};

function run(script: string, args: string[], input: string, env: NodeJS.ProcessEnv = cleanEnv) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    input,
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('npm run ask -- --json', () => {
  it('prints exactly one JSON object per input line, in order, and nothing else', () => {
    const questions = [
      'how many years in prison',
      '',
      'what is the capital of france',
      'hi',
      'putin',
      '{"json": true}',
    ];
    const result = run('src/cli/ask.ts', ['--json'], `${questions.join('\n')}\n`);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(questions.length);
    const objects = lines.map((line) => JSON.parse(line));
    objects.forEach((o, i) => {
      expect(Object.keys(o).sort()).toEqual(['answer', 'kind', 'question', 'quotes', 'score', 'suggestions']);
      expect(o.question).toBe(questions[i]);
      expect(['answer', 'clarify', 'decline', 'smalltalk']).toContain(o.kind);
      expect(typeof o.score).toBe('number');
      expect(Array.isArray(o.quotes) && Array.isArray(o.suggestions)).toBe(true);
      expect(o.answer === null || typeof o.answer === 'string').toBe(true);
      if (o.kind !== 'answer') expect(o.answer).toBeNull();
    });
    expect(objects[0]).toMatchObject({ kind: 'answer' });
    expect(objects[0].answer).toMatch(/15 years/);
    expect(objects[0].quotes[0]).toMatch(/face up to 15 years in prison/);
    expect(objects[2]).toMatchObject({ kind: 'decline', answer: null, quotes: [] });
    expect(objects[3]).toMatchObject({ kind: 'smalltalk', answer: null });
  });

  it('answers one question given as arguments', () => {
    const result = run('src/cli/ask.ts', ['who', 'is', 'kirby'], '');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/White House spokesman/);
    expect(result.stdout).toMatch(/> In a statement, White House spokesman John Kirby/);
  });

  it('fails with a clear message naming the variable when configuration is invalid', () => {
    const result = run('src/cli/ask.ts', ['hi'], '', { ...cleanEnv, LOG_LEVEL: 'loud' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/LOG_LEVEL: must be one of/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names the file and the problem when the knowledge base is broken', () => {
    const result = run('src/cli/ask.ts', ['hi'], '', { ...cleanEnv, KNOWLEDGE_FILE: '/nonexistent/kb.json' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Knowledge base \/nonexistent\/kb\.json is invalid/);
  });
});

describe('npm start without tokens: console chat', () => {
  it('answers piped questions and commands, then exits 0 at end of input, saying why on stderr', () => {
    const result = run('src/main.ts', [], 'how many years in prison\n/quote kirby\n/topics\n/nosuch\n1\n');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/face up to 15 years in prison/);
    expect(out).toMatch(/Quote: John Kirby/);
    expect(out).toMatch(/What you can ask about/);
    expect(out).toMatch(/How to use this bot/); // unknown command -> help
    // stdout stays answers only; the one note on stderr says why no bot started.
    expect(out).not.toMatch(/No platform is configured/);
    expect(result.stderr).toBe(`${PROCESS_TEXTS.consoleFromPipe}\n`);
  });

  it('piped into head -1, it ends quietly when the reader goes: exit 0, only the note on stderr', () => {
    const result = spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `"${process.execPath}" --import tsx src/main.ts | head -n 1; exit "\${PIPESTATUS[0]}"`,
      ],
      { cwd: root, env: cleanEnv, input: 'who is kirby\n'.repeat(5_000), encoding: 'utf8', timeout: 20_000 },
    );
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe(`${PROCESS_TEXTS.consoleFromPipe}\n`);
    expect(result.status).toBe(0);
  });

  it('with nothing on stdin (a supervisor, stdin /dev/null) it says so and exits 1, not a silent 0', () => {
    for (const input of ['', '\n  \n']) {
      const result = run('src/main.ts', [], input);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`${PROCESS_TEXTS.consoleFromPipe}\n${PROCESS_TEXTS.consoleNoInput}\n`);
    }
  });
});
