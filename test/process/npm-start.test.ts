import { type ChildProcessByStdio, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TEXTS } from '../../src/cli/texts.ts';
import { LAYER_TEXTS } from '../../src/conversation/texts.ts';
import { FakeBotApi, textMessage } from '../fakes/telegram-bot-api.ts';

/**
 * `npm start` itself, signalled as Docker (`CMD ["npm", "start"]`), systemd or a terminal's Ctrl+C
 * signal it: the bot must get the signal, finish its reply, and exit before npm does, leaving no
 * orphan. The package's real `start` script runs under the installed npm with the project's own
 * .npmrc; only the file the script names is a two-line shim that loads src/main.ts through tsx, so
 * the test needs no build.
 */

const root = resolve(import.meta.dirname, '../..');
const startScript: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start;

let fake: FakeBotApi;
let dir: string;
beforeAll(async () => {
  fake = await FakeBotApi.start();
  dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'npm-start-under-test',
      private: true,
      type: 'module',
      scripts: { start: startScript },
    }),
  );
  copyFileSync(join(root, '.npmrc'), join(dir, '.npmrc'));
  const entry = /\bnode\s+(\S+\.js)/.exec(startScript)?.[1];
  if (!entry) throw new Error(`the start script does not run node on a file: ${startScript}`);
  mkdirSync(dirname(join(dir, entry)), { recursive: true });
  const tsxApi = pathToFileURL(join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href;
  writeFileSync(
    join(dir, entry),
    `import { register } from '${tsxApi}';\nregister();\nawait import('${pathToFileURL(join(root, 'src/main.ts')).href}');\n`,
  );
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

interface NpmStart {
  readonly npm: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; botAlive: boolean }>;
  readonly output: () => string;
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** No token at all, and npm kept off the network and out of the developer's own npm files. */
const quietEnv = () => ({
  PATH: process.env.PATH,
  HOME: dir,
  npm_config_cache: join(dir, '.npm'),
  npm_config_update_notifier: 'false',
  // The question log in the temp dir, not the checkout's var/ (the default path).
  DATABASE_PATH: join(dir, 'var', 'analytics.sqlite'),
});

function npmStart(botPid: () => number | undefined, detached = false): NpmStart {
  const npm = spawn('npm', ['start'], {
    cwd: dir,
    detached, // its own process group, as a terminal's foreground job is
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      npm_config_cache: join(dir, '.npm'),
      npm_config_update_notifier: 'false', // no registry traffic
      DATABASE_PATH: join(dir, 'var', 'analytics.sqlite'),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '6000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  npm.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; botAlive: boolean }>(
    (done) =>
      npm.on('exit', (code, signal) => {
        const pid = botPid();
        done({ code, signal, botAlive: pid !== undefined && isAlive(pid) });
      }),
  );
  return { npm, exited, output: () => output };
}

/** The processes npm started (with `exec` in the script: the bot itself; without: sh). */
function childrenOf(pid: number): { pid: number; command: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return []; // ps exits 1 when there is none
  }
  return out
    ? out.split('\n').map((line) => {
        const [, childPid = '0', command = ''] = /^\s*(\d+)\s+(.*)$/.exec(line) ?? [];
        return { pid: Number(childPid), command };
      })
    : [];
}

/** The bot's node process, however deep under npm it is. */
function findBot(npmPid: number): number | undefined {
  const queue = [npmPid];
  while (queue.length) {
    for (const child of childrenOf(queue.shift() ?? 0)) {
      if (/^node\b.*main\.js/.test(child.command)) return child.pid;
      queue.push(child.pid);
    }
  }
  return undefined;
}

async function withBotAnsweringSlowly(
  detached: boolean,
  signal: (npm: NpmStart) => void,
): Promise<{ result: Awaited<NpmStart['exited']>; output: string; tookMs: number }> {
  let bot: number | undefined;
  const polls = fake.callsTo('getUpdates').length;
  const started = npmStart(() => bot, detached);
  try {
    await fake.waitForCount('getUpdates', polls + 1, 20_000);
    bot = findBot(started.npm.pid ?? 0);
    expect(bot).toBeDefined();
    // The reply takes Telegram 1 s: the stop must wait for it.
    const before = fake.callsTo('sendMessage').length;
    fake.slowNext('sendMessage', 1_000);
    fake.push(textMessage('how many years in prison'));
    await fake.waitForCount('sendMessage', before + 1, 10_000);
    const signalled = performance.now();
    signal(started);
    const result = await started.exited;
    return { result, output: started.output(), tookMs: performance.now() - signalled };
  } finally {
    if (bot !== undefined && isAlive(bot)) process.kill(bot, 'SIGKILL'); // an orphan, when this fails
    started.npm.kill('SIGKILL');
  }
}

describe('npm start under a process manager', () => {
  it('SIGTERM to npm reaches the bot, which finishes its reply and exits 0 before npm exits', async () => {
    const { result, output, tookMs } = await withBotAnsweringSlowly(false, ({ npm }) => npm.kill('SIGTERM'));
    expect(result.botAlive).toBe(false); // no orphan under PID 1
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(tookMs).toBeGreaterThan(500); // npm waited for the reply in flight
    expect(output).toMatch(/"msg":"stopped"/);
    expect(output).not.toMatch(/stop budget ran out/);
  }, 40_000);

  it('Ctrl+C in a terminal (SIGINT to the whole group, so the bot gets it twice) drains and exits 0', async () => {
    const { result, output } = await withBotAnsweringSlowly(true, ({ npm }) =>
      process.kill(-(npm.pid ?? 0), 'SIGINT'),
    );
    expect(result.botAlive).toBe(false);
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(output).toMatch(/"msg":"stopped"/);
  }, 40_000);
});

describe('npm start with questions piped in', () => {
  it("prints on stdout the bot's answers and nothing else: no npm banner", () => {
    const input = 'who is kirby\nhow many years in prison\n';
    const entry = join(dir, /\bnode\s+(\S+\.js)/.exec(startScript)?.[1] ?? '');
    const viaNpm = spawnSync('npm', ['start'], {
      cwd: dir,
      env: quietEnv(),
      input,
      encoding: 'utf8',
      timeout: 30_000,
    });
    const direct = spawnSync(process.execPath, [entry], {
      cwd: dir,
      env: quietEnv(),
      input,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(viaNpm.status).toBe(0);
    expect(viaNpm.stdout.startsWith('John Kirby is')).toBe(true);
    expect(viaNpm.stdout).not.toMatch(/^> /m);
    expect(viaNpm.stdout).toBe(direct.stdout);
    // What the bot says on stderr is still there.
    expect(viaNpm.stderr).toContain(PROCESS_TEXTS.consoleFromPipe);
  }, 40_000);
});

describe('npm start records the questions it answers', () => {
  it('with no setup but DATABASE_PATH, creates the SQLite file and records the question and the vote', () => {
    const path = join(dir, 'question-log', 'analytics.sqlite');
    const run = spawnSync('npm', ['start'], {
      cwd: dir,
      env: { ...quietEnv(), DATABASE_PATH: path },
      input: 'who is kirby\n+\n',
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout.startsWith('John Kirby is')).toBe(true);
    expect(run.stdout).toContain(LAYER_TEXTS.feedbackThanks(1));
    expect(existsSync(path)).toBe(true);
    // Closed on the way out: what was queued is in the file, read here by another connection.
    const db = new Database(path, { readonly: true });
    try {
      const events = db.prepare('SELECT platform, question, kind, user_key FROM events').all();
      expect(events).toEqual([
        { platform: 'console', question: 'who is kirby', kind: 'answer', user_key: expect.any(String) },
      ]);
      expect(db.prepare('SELECT vote FROM votes').all()).toEqual([{ vote: 1 }]);
    } finally {
      db.close();
    }
  }, 40_000);
});
