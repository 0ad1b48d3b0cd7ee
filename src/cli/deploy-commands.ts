import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { REST } from 'discord.js';
import { commands } from '../../commands/index.ts';
import type { Command } from '../../commands/types.ts';
import { describeError, explainLoginError } from '../adapters/discord/errors.ts';
import {
  buildCommandPayload,
  type CommandTarget,
  CommandValidationError,
  deployCommands,
  describeTarget,
} from '../adapters/discord/registration.ts';
import { ConfigError, loadConfig } from '../config.ts';

/**
 * `npm run deploy-commands [-- --dry-run]`: validates the slash commands against Discord's limits,
 * then PUTs the whole set to DISCORD_GUILD_ID's guild (instant, for development) or globally.
 * Re-runnable: a bulk overwrite of an unchanged set changes nothing.
 */

const USAGE =
  'usage: npm run deploy-commands [-- --dry-run]\n  --dry-run  validate and print the payload, send nothing';

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Returns the exit code; never throws for expected failures (config, validation, 401). */
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
      io.out(USAGE);
      return 0;
    }
    dryRun = values['dry-run'] === true;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = env ? loadConfig(env) : loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
  const discord = config.discord;
  if (!discord) {
    io.err(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to deploy slash commands (see .env.example).',
    );
    return 1;
  }
  const target: CommandTarget = {
    applicationId: discord.applicationId,
    ...(discord.guildId ? { guildId: discord.guildId } : {}),
  };
  try {
    const payload = buildCommandPayload(list, target);
    if (dryRun) {
      io.out(JSON.stringify(payload, null, 2));
      io.out(`valid: ${payload.length} commands for ${describeTarget(target)} (dry run, nothing sent)`);
      return 0;
    }
    const rest = new REST({ version: '10', ...(discord.apiRoot ? { api: discord.apiRoot } : {}) }).setToken(
      discord.token,
    );
    const registered = await deployCommands(rest, target, list);
    io.out(
      `Registered ${registered.length} slash commands for ${describeTarget(target)}: ${registered
        .map((c) => `/${c.name}`)
        .join(', ')}`,
    );
    if (!discord.guildId) io.out('Global commands can take a few minutes to appear in every server.');
    return 0;
  } catch (error) {
    if (error instanceof CommandValidationError) {
      io.err(error.message);
      return 1;
    }
    const explained = explainLoginError(error, discord.apiRoot ?? 'https://discord.com/api');
    io.err(explained.message);
    if (!/rejected|reach/.test(explained.message)) io.err(JSON.stringify(describeError(error)));
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDeployCommands(process.argv.slice(2));
}
