import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort, untilServing } from './server-process.ts';

/**
 * A real `redis-server` (Debian's package) on a free loopback port, in its own temporary
 * directory, with persistence off. Not a fake of the protocol: the point is to test against the
 * Redis the bot would meet. `.ci/run` installs the package when it is missing.
 */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, as REDIS_URL would be. */
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it; idempotent. Keeps the directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted), after `stop`. */
  restart(): Promise<void>;
  /**
   * Freezes the process (SIGSTOP): connections stay open but nothing is answered, the way a
   * Redis stuck on a slow command or behind a dead network looks to a client.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 5_000;

export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  try {
    return await onFreePort(async (port) => handle(await spawnRedis(port, dir), port, dir));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function handle(first: ChildProcess, port: number, dir: string): RedisServer {
  let child = first;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT'); // a paused server would not act on SIGTERM
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(killer);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop();
      child = await spawnRedis(port, dir);
    },
    pause: () => {
      child.kill('SIGSTOP');
    },
    resume: () => {
      child.kill('SIGCONT');
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await untilServing(child, {
      name: 'redis-server',
      readiness: 'answering PING',
      ready: () => ping(port),
      timeoutMs: START_TIMEOUT_MS,
      pollMs: 25,
    });
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** True when something on the port answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
