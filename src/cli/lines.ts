import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * The lines of a byte stream, for line-oriented contracts such as `ask --json`: only `\n` ends a
 * line (a bare `\r` is part of the line, unlike node:readline, which also splits at `\r`), one
 * `\r` right before the end is dropped so CRLF files give the same questions, and each line is
 * decoded as a whole, so a UTF-8 character split across chunks stays intact. A last line without
 * `\n` still counts; an empty input has no lines.
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    let bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let end = bytes.indexOf(NEWLINE);
    while (end !== -1) {
      pending.push(bytes.subarray(0, end));
      yield decodeLine(Buffer.concat(pending));
      pending = [];
      bytes = bytes.subarray(end + 1);
      end = bytes.indexOf(NEWLINE);
    }
    if (bytes.length) pending.push(bytes);
  }
  if (pending.length) yield decodeLine(Buffer.concat(pending));
}

function decodeLine(bytes: Buffer): string {
  const withoutCr = bytes.at(-1) === CR ? bytes.subarray(0, -1) : bytes;
  return withoutCr.toString('utf8');
}
