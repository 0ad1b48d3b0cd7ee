import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BOT_PERMISSIONS, inviteUrl } from '../adapters/discord/invite.ts';
import { loadDiscordApplication } from '../config.ts';
import { type CliIo, configOrReport, defaultIo } from './io.ts';
import { DISCORD_CLI_TEXTS as T } from './texts.ts';

/**
 * `npm run invite-url`: the URL that adds the bot to a server, on stdout alone (so it can
 * be piped or opened); what it grants on stderr. Needs only the application id, which
 * DISCORD_APPLICATION_ID gives or DISCORD_TOKEN carries; nothing is sent anywhere.
 */
export function runInviteUrl(
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
  io: CliIo = defaultIo,
): number {
  try {
    const { values } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      io.out(T.inviteUsage);
      return 0;
    }
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${T.inviteUsage}`);
    return 2;
  }
  const app = configOrReport(() => (env ? loadDiscordApplication(env) : loadDiscordApplication()), io);
  if (!app) return 1;
  if (!app.applicationId) {
    io.err(T.inviteNeedsId);
    return 1;
  }
  io.out(inviteUrl(app.applicationId));
  io.err(T.inviteExplained(BOT_PERMISSIONS.toArray()));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runInviteUrl(process.argv.slice(2));
}
