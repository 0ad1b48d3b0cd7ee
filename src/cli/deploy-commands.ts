import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REST } from 'discord.js';
import { commands } from '../../commands/index.ts';
import type { Command } from '../../commands/types.ts';
import { explainRestError } from '../adapters/discord/errors.ts';
import {
  buildCommandPayload,
  type CommandTarget,
  CommandValidationError,
  deployCommands,
  describeTarget,
} from '../adapters/discord/registration.ts';
import { type AppConfig, loadConfig, loadDiscordApplication } from '../config.ts';
import { type CliIo, configOrReport, defaultIo } from './io.ts';
import { DISCORD_CLI_TEXTS as T } from './texts.ts';

export type { CliIo } from './io.ts';

/**
 * `npm run deploy-commands [-- --dry-run]`: validates the slash commands against Discord's limits,
 * then PUTs the whole set to DISCORD_GUILD_ID's guild (instant, for development) or globally.
 * Re-runnable: a bulk overwrite of an unchanged set changes nothing. A dry run needs no
 * credentials: the payload does not depend on them.
 */

/** Returns the exit code; never throws for expected failures (config, validation, 401, 403). */
export async function runDeployCommands(
  argv: readonly string[],
  env?: NodeJS.ProcessEnv,
  io: CliIo = defaultIo,
  list: readonly Command[] = commands,
): Promise<number> {
  let dryRun: boolean;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(T.deployUsage);
      return 0;
    }
    dryRun = values['dry-run'] === true;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${T.deployUsage}`);
    return 2;
  }
  return dryRun ? printDryRun(env, io, list) : deploy(env, io, list);
}

function printDryRun(env: NodeJS.ProcessEnv | undefined, io: CliIo, list: readonly Command[]): number {
  const app = configOrReport(() => (env ? loadDiscordApplication(env) : loadDiscordApplication()), io);
  if (!app) return 1;
  // The payload never names the application; only the guild changes it (no contexts there).
  const target: CommandTarget = { applicationId: app.applicationId ?? '', ...guildOf(app) };
  try {
    const payload = buildCommandPayload(list, target);
    io.out(JSON.stringify(payload, null, 2));
    io.out(T.dryRun(payload.length, describeTarget(target)));
    return 0;
  } catch (error) {
    if (!(error instanceof CommandValidationError)) throw error;
    io.err(error.message);
    return 1;
  }
}

async function deploy(
  env: NodeJS.ProcessEnv | undefined,
  io: CliIo,
  list: readonly Command[],
): Promise<number> {
  const config: AppConfig | undefined = configOrReport(() => (env ? loadConfig(env) : loadConfig()), io);
  if (!config) return 1;
  const discord = config.discord;
  if (!discord) {
    io.err(T.deployNeedsToken);
    return 1;
  }
  const target: CommandTarget = { applicationId: discord.applicationId, ...guildOf(discord) };
  try {
    const rest = new REST({ version: '10', ...(discord.apiRoot ? { api: discord.apiRoot } : {}) }).setToken(
      discord.token,
    );
    const registered = await deployCommands(rest, target, list);
    io.out(
      T.registered(
        registered.length,
        describeTarget(target),
        registered.map((c) => c.name),
      ),
    );
    if (!discord.guildId) io.out(T.globalDelay);
    return 0;
  } catch (error) {
    if (error instanceof CommandValidationError) {
      io.err(error.message);
      return 1;
    }
    // What went wrong first, then what to do: the message holds both, in that order.
    io.err(
      explainRestError(error, discord.apiRoot ?? 'https://discord.com/api', discord.applicationId).message,
    );
    return 1;
  }
}

const guildOf = (from: { readonly guildId?: string }) => (from.guildId ? { guildId: from.guildId } : {});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDeployCommands(process.argv.slice(2));
}
