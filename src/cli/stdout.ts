import { once } from 'node:events';

/**
 * Once the reader of our stdout has gone (`ask --json | head -1`), nobody is left to answer:
 * end quietly with exit 0 instead of node's EPIPE stack trace. Any other write error is a real
 * failure and is reported on one line.
 */
export function exitQuietlyWhenStdoutCloses(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`Fatal: cannot write to stdout: ${error.message}\n`);
    process.exit(1);
  });
}

/** Writes and waits while the stream's buffer is full, so a slow reader never makes memory grow. */
export async function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
