import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { onFreePort, untilServing } from './server-process.ts';

/**
 * A real PostgreSQL 15 server (Debian's `postgresql` package) on a free loopback port, in its own
 * temporary cluster made by `initdb`. PostgreSQL refuses to run as root, so its binaries run as
 * the `postgres` user the package creates (`runuser`), in a directory that user owns. Not a fake
 * of the protocol: the point is to test against the server the bot would meet. Durability is off
 * (fsync) to keep tests fast. `.ci/run` installs the package when it is missing.
 */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** Creates an empty database and returns its URL, so each test can start from nothing. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and waits for it; idempotent. Keeps the cluster. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data, after `stop`. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

const BIN = '/usr/lib/postgresql/15/bin';
const START_TIMEOUT_MS = 15_000;
const run = promisify(execFile);

export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = await mkdtemp(join(tmpdir(), 'postgres-test-'));
  try {
    const { uid, gid } = await postgresUser();
    await chown(dir, uid, gid);
    const data = join(dir, 'data');
    await run('runuser', [
      '-u',
      'postgres',
      '--',
      `${BIN}/initdb`,
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    return await onFreePort(async (port) => handle(await spawnPostgres(dir, data, port), dir, data, port));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function handle(first: ChildProcess, dir: string, data: string, port: number): PostgresServer {
  let child = first;
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // runuser waits for its child: signal the postmaster itself (SIGINT: fast shutdown).
    const pid = await postmasterPid(data);
    if (pid) process.kill(pid, 'SIGINT');
    else child.kill('SIGTERM');
    const killer = setTimeout(() => {
      if (pid) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }, 5_000);
    await exited;
    clearTimeout(killer);
  };
  return {
    port,
    url: url('postgres'),
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    restart: async () => {
      await stop();
      child = await spawnPostgres(dir, data, port);
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function spawnPostgres(dir: string, data: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    'runuser',
    [
      '-u',
      'postgres',
      '--',
      `${BIN}/postgres`,
      '-D',
      data,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await untilServing(child, {
      name: 'postgres',
      readiness: 'accepting connections',
      ready: () => accepts(port),
      timeoutMs: START_TIMEOUT_MS,
      pollMs: 50,
    });
    return child;
  } catch (error) {
    const pid = await postmasterPid(data);
    if (pid) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
    throw error;
  }
}

/** True when the server answers a query (it refuses connections while starting up). */
async function accepts(port: number): Promise<boolean> {
  const client = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    connectionTimeoutMillis: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function postmasterPid(data: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
