import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_TEXTS } from '../../src/adapters/console/texts.ts';
import { screenOf } from '../helpers/terminal.ts';

/**
 * The real program in a real pseudo-terminal: util-linux `script` (Debian's essential bsdutils)
 * gives src/main.ts a terminal of 60 columns, so stdin is a TTY as when a person runs `npm start`,
 * and the keys are the bytes a terminal sends. No platform variable is set and the working
 * directory is empty, so no developer's .env is read.
 */

const root = resolve(import.meta.dirname, '../..');
const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'console-pty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COLUMNS = 60;
function inTerminal() {
  const command = `stty cols ${COLUMNS} rows 24 && exec '${process.execPath}' --import '${tsx}' '${join(root, 'src/main.ts')}'`;
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    'script',
    ['--quiet', '--flush', '--return', '--command', command, '/dev/null'],
    {
      cwd: dir, // The question log in the temp dir, not the checkout's var/ (the default path).
      env: { PATH: process.env.PATH, HOME: dir, TERM: 'xterm', DATABASE_PATH: join(dir, 'analytics.sqlite') },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let raw = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    for (const check of waiters.splice(0)) check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
  });
  // 'close', not 'exit': the last output (the goodbye) has been read by then.
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  /** Resolves when the screen shows `count` prompts, the last one waiting for a line. */
  const prompts = (count: number) =>
    new Promise<void>((done) => {
      const check = () => {
        const screen = screenOf(raw);
        if (screen.split(CONSOLE_TEXTS.prompt).length - 1 >= count && screen.endsWith(CONSOLE_TEXTS.prompt))
          done();
        else waiters.push(check);
      };
      check();
    });
  return { child, exited, prompts, screen: () => screenOf(raw) };
}

describe('npm start in a terminal', () => {
  it('edits lines with history, wraps to the terminal width, and Ctrl+C says goodbye and exits 0', async () => {
    const term = inTerminal();
    try {
      await term.prompts(1);
      term.child.stdin.write('how many years in prison?\r');
      await term.prompts(2);
      // The up arrow recalls the question; Enter asks it again.
      term.child.stdin.write('\x1b[A\r');
      // The recalled line redraws the prompt once more before the reply.
      await term.prompts(4);
      term.child.stdin.write('\x03');
      expect(await term.exited).toBe(0);
      const screen = term.screen();
      expect(screen.trimEnd().endsWith(CONSOLE_TEXTS.goodbye)).toBe(true);
      const replies = screen
        .split(CONSOLE_TEXTS.replyPrefix)
        .slice(1)
        .map((block) => block.split(`\n\n${CONSOLE_TEXTS.prompt}`)[0]);
      expect(replies).toHaveLength(2);
      expect(replies[0]).toMatch(/^Russia passed a law/);
      expect(replies[1]).toBe(replies[0]);
      for (const line of screen.split('\n')) expect(line.length, line).toBeLessThanOrEqual(COLUMNS);
      // It was wrapped: the answer runs over several lines, each continuation under its first word.
      expect(replies[0]?.split('\n')[1]).toMatch(/^ {5}\S/);
    } finally {
      term.child.kill('SIGKILL');
    }
  }, 40_000);

  it('SIGTERM at the prompt says goodbye and exits 0, as Ctrl+D does', async () => {
    const term = inTerminal();
    try {
      await term.prompts(1);
      term.child.stdin.write('who is kir'); // half a line, never sent
      // The bot is the one child of `script` (the shell exec'd node).
      const bot = Number(
        execFileSync('ps', ['-o', 'pid=', '--ppid', String(term.child.pid)], { encoding: 'utf8' }).trim(),
      );
      expect(bot).toBeGreaterThan(0);
      process.kill(bot, 'SIGTERM');
      expect(await term.exited).toBe(0);
      expect(term.screen().trimEnd().endsWith(CONSOLE_TEXTS.goodbye)).toBe(true);
      expect(term.screen()).not.toContain(CONSOLE_TEXTS.replyPrefix);
    } finally {
      term.child.kill('SIGKILL');
    }
  }, 40_000);
});
