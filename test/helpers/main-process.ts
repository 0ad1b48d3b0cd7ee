import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

const root = resolve(import.meta.dirname, '../..');

export interface MainProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<number | null>;
  stderr(): string;
  /** Everything the process printed, stdout and stderr as they came (for "nothing leaks" checks). */
  output(): string;
}

/**
 * `npm start` as a user runs it (src/main.ts through tsx) with exactly `env`: nothing from a
 * developer's .env or shell leaks in. Unless `env` says where, the question log goes to a
 * temporary directory (removed on exit), not the checkout's var/.
 */
export function startMain(env: Readonly<Record<string, string>>): MainProcess {
  const own = ['DATABASE_PATH', 'DATABASE_URL', 'QUESTION_LOG'].some((name) => name in env)
    ? undefined
    : mkdtempSync(join(tmpdir(), 'main-question-log-'));
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, ...(own ? { DATABASE_PATH: join(own, 'analytics.sqlite') } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (own) child.on('exit', () => rmSync(own, { recursive: true, force: true }));
  let stderr = '';
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
    output += String(chunk);
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, stderr: () => stderr, output: () => output };
}
