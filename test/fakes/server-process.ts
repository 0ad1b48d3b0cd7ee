import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * What the real-server helpers (PostgreSQL, Redis) share: a free loopback port, a few tries when
 * another process takes it first, and waiting for a spawned server to answer.
 */

/** A port nothing listens on now (the OS's choice for port 0 on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Starts on a free port; a port can be taken between the probe and the bind, so tries a few. */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown = new Error('no attempt made');
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await start(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Resolves once `ready()` answers true; rejects when the process exits first (with the tail of
 * its output) or `timeoutMs` passes. The caller kills the process on rejection.
 */
export async function untilServing(
  child: ChildProcess,
  options: {
    readonly name: string;
    /** What ready means, for the messages: "answering PING". */
    readonly readiness: string;
    readonly ready: () => Promise<boolean>;
    readonly timeoutMs: number;
    readonly pollMs: number;
  },
): Promise<void> {
  const { name, readiness } = options;
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`${name} could not start: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`${name} exited (${code ?? signal}) before ${readiness}:\n${output}`)),
    );
  });
  failed.catch(() => {}); // observed below; once started, a later exit is not a failure
  const deadline = Date.now() + options.timeoutMs;
  while (true) {
    if (await Promise.race([options.ready(), failed])) return;
    if (Date.now() > deadline) throw new Error(`${name} was not ${readiness} within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
