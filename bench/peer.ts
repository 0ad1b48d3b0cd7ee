import { type ChildProcess, fork } from 'node:child_process';

/**
 * The far end of an adapter benchmark (protocol fake plus load generator) in a child process, so the
 * bot's process measures only the bot. Requests and replies are tagged by `cmd`.
 */
export class Peer<Request extends { cmd: string }, Reply extends { cmd: string }> {
  readonly #child: ChildProcess;

  constructor(script: URL) {
    this.#child = fork(script, { execArgv: ['--import', 'tsx'] });
  }

  ask<C extends Request['cmd']>(request: Extract<Request, { cmd: C }>): Promise<Extract<Reply, { cmd: C }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`benchmark peer exited with ${code}`));
      this.#child.once('exit', onExit);
      this.#child.once('message', (reply: Extract<Reply, { cmd: C }>) => {
        this.#child.off('exit', onExit);
        resolve(reply);
      });
      this.#child.send(request);
    });
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill();
  }
}
