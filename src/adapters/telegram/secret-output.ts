import { scrubSecrets } from '../../secrets.ts';

/**
 * Diagnostics that environment variables switch on write straight to stderr, past our logger:
 * the `debug` package behind telegraf (DEBUG=telegraf:* or DEBUG=*; its `telegraf:client`
 * namespace prints each call's payload, setWebhook's secret_token included) and Node's own
 * NODE_DEBUG=http,net (each request's URL, which carries the bot token). Both end in
 * `process.stderr.write` at the moment they print (node_modules/debug/src/node.js `log`, Node's
 * internal debuglog), so scrubbing there covers whatever they are told to print. The logger
 * writes to fd 2 itself and redacts on its own.
 */

const secrets = new Set<string>();
let guarded = false;

function scrub(text: string): string {
  let out = scrubSecrets(text);
  for (const secret of secrets) out = out.replaceAll(secret, '[redacted]');
  return out;
}

function guard(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const scrubbedWrite = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') return write(scrub(chunk), ...rest);
    if (chunk instanceof Uint8Array) {
      const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
      const clean = scrub(text);
      // Bytes pass untouched unless a secret was in them.
      return write(clean === text ? chunk : Buffer.from(clean), ...rest);
    }
    return write(chunk, ...rest);
  };
  stream.write = scrubbedWrite as typeof stream.write;
}

/**
 * Keeps `values` (and anything shaped like a bot token) out of everything written to stdout and
 * stderr from now on. Call it as soon as a secret is known, before the first request.
 */
export function hideSecretsFromOutput(values: readonly string[]): void {
  for (const value of values) if (value) secrets.add(value);
  if (guarded) return;
  guarded = true;
  guard(process.stderr);
  guard(process.stdout);
}
