import { createRequire } from 'node:module';
import { formatWithOptions, type InspectOptions } from 'node:util';
import { scrubSecrets } from '../../logger.ts';

/**
 * telegraf logs through the `debug` package, which prints whatever DEBUG enables (`DEBUG=*`
 * included) to stderr, and its `telegraf:client` namespace prints every call's payload:
 * setWebhook's carries the webhook's secret_token. Every enabled namespace ends in `debug.log`
 * (node_modules/debug/src/common.js: `self.log || createDebug.log`), so wrapping that one
 * function scrubs all of it, whatever DEBUG says, without silencing the rest of the output.
 */

/** The subset of the `debug` module this touches (it ships no types). */
interface DebugModule {
  log: (this: unknown, ...args: unknown[]) => unknown;
  inspectOpts?: InspectOptions;
}

const secrets = new Set<string>();
let wrapped = false;

/** Resolves `debug` exactly as telegraf does, so this is the very instance it writes through. */
function telegrafsDebug(): DebugModule {
  const telegrafMain = createRequire(import.meta.url).resolve('telegraf');
  return createRequire(telegrafMain)('debug') as DebugModule;
}

function scrub(text: string): string {
  let out = scrubSecrets(text);
  for (const secret of secrets) out = out.replaceAll(secret, '[redacted]');
  return out;
}

/** Makes sure `values` (and anything shaped like a bot token) never reach telegraf's debug output. */
export function hideSecretsFromDebugOutput(values: readonly string[]): void {
  for (const value of values) if (value) secrets.add(value);
  if (wrapped) return;
  wrapped = true;
  const debug = telegrafsDebug();
  const write = debug.log;
  debug.log = function scrubbed(this: unknown, ...args: unknown[]) {
    // Formatted here as debug's own log would, then passed on as one finished string.
    return write.call(this, '%s', scrub(formatWithOptions(debug.inspectOpts ?? {}, ...args)));
  };
}
