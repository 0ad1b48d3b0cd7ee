import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import { afterEach, describe, expect, it } from 'vitest';
import { PROCESS_TEXTS } from '../src/cli/texts.ts';
import { analyzeEnvText } from '../src/env-file.ts';

/**
 * `.env` as start-up reads it: the bot runs in a temporary directory holding the `.env` under test
 * (as `npm start` from a deployment directory does), with stdin piped, so a silent fall-back to the
 * console chat would show as an answer and exit 0.
 */

const root = resolve(import.meta.dirname, '..');
const tsx = resolve(root, 'node_modules/.bin/tsx');
const TOKEN = '123456789:AAsecretSecretSecretSecretSecret_0123';
let dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
  dirs.push(dir);
  return dir;
}

function startIn(dir: string, env: Record<string, string> = {}, input = 'who is kirby\n', uid?: number) {
  return spawnSync(tsx, [resolve(root, 'src/main.ts')], {
    cwd: dir,
    ...(uid === undefined ? {} : { uid, gid: uid }),
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    input,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function withEnvFile(text: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, '.env'), text);
  return dir;
}

describe('.env lines that would be misread stop start-up', () => {
  it('a token line without =, a lower-case name and an unquoted # are refused by line number, values never shown', () => {
    const dir = withEnvFile(
      [
        '# Telegram',
        `TELEGRAM_BOT_TOKEN ${TOKEN}`,
        `telegram_bot_token=${TOKEN}`,
        'TELEGRAM_WEBHOOK_SECRET=abc#def',
        'LOG_LEVEL=silent # trailing comments after a space are fine',
        '',
      ].join('\n'),
    );
    const result = startIn(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(''); // no console chat answered instead
    expect(result.stderr).toContain('.env line 2: not a NAME=value assignment');
    expect(result.stderr).toContain(
      '.env line 3: telegram_bot_token is not read: names are case-sensitive, write TELEGRAM_BOT_TOKEN',
    );
    expect(result.stderr).toContain(
      '.env line 4: TELEGRAM_WEBHOOK_SECRET: an unquoted # starts a comment, so the value would be cut there; put the value in quotes',
    );
    expect(result.stderr).not.toMatch(/line [15]\b/);
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stderr).not.toContain('AAsecret');
    expect(result.stderr).not.toMatch(/abc|def/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads a quoted value with # whole (CRLF line endings too)', () => {
    const dir = withEnvFile('KNOWLEDGE_FILE="/nonexistent/kb#2.json"\r\nLOG_LEVEL=silent\r\n');
    const result = startIn(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Knowledge base /nonexistent/kb#2.json is invalid');
  });

  it('a .env copied from .env.example starts without a word on stderr but the console note', () => {
    const dir = withEnvFile(readFileSync(join(root, '.env.example'), 'utf8'));
    const result = startIn(dir, { LOG_LEVEL: 'info' }); // as in the file: no override to report
    expect(result.stderr).toBe(`${PROCESS_TEXTS.consoleFromPipe}\n`);
    expect(result.status).toBe(0);
  });

  it('lists lines without effect on stderr and starts anyway', () => {
    const dir = withEnvFile('LOG_LEVEL=info\nCOLOUR=blue\nLOG_LEVEL=silent\n');
    const result = startIn(dir, { RATE_LIMIT_PER_MINUTE: '5' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/White House spokesman/);
    expect(result.stderr).toBe(
      [
        '.env line 1: LOG_LEVEL is set again on line 3, which wins',
        '.env line 2: COLOUR is not a setting of this bot (see .env.example)',
        PROCESS_TEXTS.consoleFromPipe,
        '',
      ].join('\n'),
    );
  });

  it('names a .env line that the environment overrides with another value', () => {
    const dir = withEnvFile('LOG_LEVEL=silent\nRATE_LIMIT_PER_MINUTE=5\n');
    const result = startIn(dir, { RATE_LIMIT_PER_MINUTE: '7' });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      '.env line 2: RATE_LIMIT_PER_MINUTE is also set in the environment, to another value; the environment wins',
    );
    expect(result.stderr).not.toMatch(/line 1/); // LOG_LEVEL is the same in both: nothing to say
  });
});

describe('a .env that cannot be read stops start-up', () => {
  it('refuses a .env that is a directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.env'));
    const result = startIn(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('.env is a directory, not a file');
  });

  it('refuses a .env that is a link to a missing file, or a link loop', () => {
    const dangling = tempDir();
    symlinkSync(join(dangling, 'missing'), join(dangling, '.env'));
    const loop = tempDir();
    symlinkSync(join(loop, '.env'), join(loop, '.env'));
    const first = startIn(dangling);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain('.env is a link to a file that does not exist');
    const second = startIn(loop);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('.env cannot be read: its symbolic links form a loop');
  });

  it('refuses a .env the user may not read', () => {
    const dir = withEnvFile('LOG_LEVEL=silent\n');
    chmodSync(dir, 0o755);
    chmodSync(join(dir, '.env'), 0o000);
    // root reads any file whatever its mode: run the bot as an unprivileged user then.
    const result = startIn(dir, {}, '', process.getuid?.() === 0 ? 65_534 : undefined);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('.env cannot be read: permission denied');
  });

  it('refuses a DOTENV_CONFIG_PATH that names no file, and reads the one it names', () => {
    const dir = tempDir();
    const missing = startIn(dir, { DOTENV_CONFIG_PATH: join(dir, 'prod.env') });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`DOTENV_CONFIG_PATH file ${join(dir, 'prod.env')} does not exist`);
    writeFileSync(join(dir, 'prod.env'), 'RATE_LIMIT_PER_MINUTE=0\n');
    const named = startIn(dir, { DOTENV_CONFIG_PATH: join(dir, 'prod.env') });
    expect(named.status).toBe(1);
    expect(named.stderr).toContain('RATE_LIMIT_PER_MINUTE: must be a whole number');
  });

  it('without a .env, starts as before', () => {
    const result = startIn(tempDir());
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/White House spokesman/);
  });
});

describe('analyzeEnvText finds the lines behind what dotenv parses', () => {
  const text = [
    '# comment',
    'export PLAIN=value',
    'SPACED = spaced value ',
    'COLON: yaml style',
    'MULTI="first',
    'second"',
    "SINGLE='a#b'",
    '',
    'EMPTY=',
    'dotted.name-x=1',
    'no equals here',
    'LAST=z',
  ].join('\r\n');

  it('finds exactly the names dotenv returns, at the right lines, and only the broken line', () => {
    const analysis = analyzeEnvText(text, new Set(Object.keys(parse(text))));
    expect(Object.keys(analysis.values)).toEqual(Object.keys(parse(text)));
    expect([...analysis.lines]).toEqual([
      ['PLAIN', 2],
      ['SPACED', 3],
      ['COLON', 4],
      ['MULTI', 5],
      ['SINGLE', 7],
      ['EMPTY', 9],
      ['dotted.name-x', 10],
      ['LAST', 12],
    ]);
    expect(analysis.problems).toEqual([
      'line 11: not a NAME=value assignment, so it would be ignored (a value with # goes in quotes; # starts a comment)',
    ]);
    expect(analysis.warnings).toEqual([]);
  });

  it('flags every unquoted # that would cut a value, and no trailing comment', () => {
    const cases: [string, boolean][] = [
      ['A=abc#def', true],
      ['A=#abc', true],
      ['A= #comment', false],
      ['A=abc # comment', false],
      ['A="abc#def"', false],
      ["A='#abc'", false],
      ['A=abc', false],
    ];
    for (const [line, cut] of cases) {
      const analysis = analyzeEnvText(`${line}\n`, new Set(['A']));
      expect(analysis.problems.length > 0, line).toBe(cut);
    }
  });
});
