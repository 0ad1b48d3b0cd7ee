import { spawn, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/cli/lines.ts';

/**
 * The JSON CLI's contract under awkward input and readers: exactly one output line per input line
 * (only `\n` ends a line), and a reader that stops early ends the process quietly.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const env = { PATH: process.env.PATH, LOG_LEVEL: 'silent' };
const ask = ['--import', 'tsx', 'src/cli/ask.ts', '--json'];

describe('ask --json line splitting', () => {
  it('keeps a bare CR inside its line and drops the CR of a CRLF ending: one answer per line', () => {
    const input = 'who is\rkirby\nhow many years in prison\r\n\r\nputin';
    const result = spawnSync(process.execPath, ask, { cwd: root, env, input, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const questions = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).question);
    expect(questions).toEqual(['who is\rkirby', 'how many years in prison', '', 'putin']);
  });

  it('decodes each line whole, whatever the chunk boundaries', async () => {
    const bytes = Buffer.from('qui est Zelenskyy ? café\r\nnaïve\rline\n€', 'utf8');
    // One chunk per byte: every multi-byte character and every CRLF is split across chunks.
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    const lines: string[] = [];
    for await (const line of readLines(Readable.from(chunks))) lines.push(line);
    expect(lines).toEqual(['qui est Zelenskyy ? café', 'naïve\rline', '€']);
  });

  it('gives no line for empty input and none for the newline that ends the last line', async () => {
    const collect = async (text: string) => {
      const lines: string[] = [];
      for await (const line of readLines(Readable.from([Buffer.from(text)]))) lines.push(line);
      return lines;
    };
    expect(await collect('')).toEqual([]);
    expect(await collect('a\n')).toEqual(['a']);
    expect(await collect('\n')).toEqual(['']);
  });
});

describe('ask --json with a reader that stops early (| head -1)', () => {
  it('exits 0 with nothing on stderr once stdout is closed', async () => {
    const child = spawn(process.execPath, ask, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // The child may be gone before all input is written; that EPIPE is ours and expected.
    child.stdin.on('error', () => {});
    let firstLine = '';
    child.stdout.on('data', (chunk) => {
      firstLine ||= String(chunk).split('\n')[0] ?? '';
      child.stdout.destroy(); // what `head -1` does after its first line
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.end('who is kirby\n'.repeat(20_000));
    expect(await exited).toBe(0);
    expect(JSON.parse(firstLine)).toMatchObject({ question: 'who is kirby', kind: 'answer' });
    expect(stderr).toBe('');
  }, 20_000);

  it('in a shell pipeline into head -1 it prints one answer and exits 0, quietly', () => {
    const result = spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `"${process.execPath}" ${ask.join(' ')} | head -n 1; exit "\${PIPESTATUS[0]}"`,
      ],
      { cwd: root, env, input: 'who is kirby\n'.repeat(20_000), encoding: 'utf8' },
    );
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 20_000);
});

describe('ask --json conversations', () => {
  const run = (lines: readonly string[]) => {
    const result = spawnSync(process.execPath, ask, {
      cwd: root,
      env,
      input: `${lines.join('\n')}\n`,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { question: string; kind: string; quotes: string[] });
  };

  it('answers a {"conversation", "q"} line in that conversation, and plain lines alone', () => {
    const out = run([
      JSON.stringify({ conversation: 'a', q: 'who is zelensky' }),
      JSON.stringify({ conversation: 'b', q: 'how many years in prison' }),
      JSON.stringify({ conversation: 'a', q: 'what did he do' }),
      JSON.stringify({ conversation: 'b', q: 'what did he do' }),
      'what did he do',
    ]);
    expect(out.map((o) => o.question)).toEqual([
      'who is zelensky',
      'how many years in prison',
      'what did he do',
      'what did he do',
      'what did he do',
    ]);
    // Conversation a was about Zelenskiy: the follow-up is answered from his visit to the US.
    expect(out[2]?.kind).toBe('answer');
    expect(out[2]?.quotes.join(' ')).toMatch(/Zelenskiy's visit to the US/);
    // Conversation b and the plain line have no Zelenskiy in context.
    for (const other of [out[3], out[4]])
      expect(other?.quotes.join(' ') ?? '').not.toMatch(/Zelenskiy's visit/);
  });

  it('treats a line that merely looks like JSON as a question, one output line for it', () => {
    const out = run(['{"q": 3}', '{not json']);
    expect(out.map((o) => o.question)).toEqual(['{"q": 3}', '{not json']);
  });
});

describe('ask flags', () => {
  it('--help prints the usage and exits 0; an unknown flag is an error, not a question', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--help'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run ask/);
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--nope'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/--nope/);
  });
});
