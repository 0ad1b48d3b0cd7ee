import { type APIApplicationCommand, type REST, Routes } from 'discord.js';
import type { Command } from '../../../commands/types.ts';
import type { Logger } from '../../logger.ts';
import {
  type CommandJson,
  diffApplicationCommands,
  toApplicationCommands,
  validateApplicationCommands,
} from './command-json.ts';

/** Where commands are registered: one guild (instant, for development) or globally. */
export interface CommandTarget {
  readonly applicationId: string;
  readonly guildId?: string;
}

export class CommandValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The command definitions break Discord's limits:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CommandValidationError';
  }
}

export function commandsRoute(target: CommandTarget): `/${string}` {
  return target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
}

export function describeTarget(target: CommandTarget): string {
  return target.guildId ? `guild ${target.guildId}` : 'all servers (global)';
}

/** Builds and validates the payload; throws CommandValidationError naming every problem. */
export function buildCommandPayload(commands: readonly Command[], target: CommandTarget): CommandJson[] {
  const body = toApplicationCommands(commands, target);
  const problems = validateApplicationCommands(body);
  if (problems.length) throw new CommandValidationError(problems);
  return body;
}

/**
 * Replaces the whole registered set with one PUT (bulk overwrite), which is idempotent and,
 * unlike creating commands one by one, does not spend the daily command-creation quota on
 * commands that did not change.
 */
export async function deployCommands(
  rest: REST,
  target: CommandTarget,
  commands: readonly Command[],
): Promise<APIApplicationCommand[]> {
  const body = buildCommandPayload(commands, target);
  return (await rest.put(commandsRoute(target), { body })) as APIApplicationCommand[];
}

/** Each registered command's id, by name: what a command mention (`</quote:id>`) needs. */
export type CommandIds = ReadonlyMap<string, string>;

export type RegistrationStatus = { readonly commandIds: CommandIds } & (
  | { readonly state: 'in-sync' }
  | { readonly state: 'differs'; readonly differences: readonly string[] }
  | { readonly state: 'synced'; readonly differences: readonly string[] }
);

const idsOf = (registered: readonly APIApplicationCommand[]): CommandIds =>
  new Map(registered.map((c) => [c.name, c.id]));

/**
 * Compares what Discord has registered with the local definitions. When they differ it either
 * syncs (when asked to) or logs how to fix it, so a missing command never goes unexplained.
 */
export async function reconcileCommands(
  rest: REST,
  target: CommandTarget,
  commands: readonly Command[],
  options: { readonly sync: boolean; readonly logger: Logger },
): Promise<RegistrationStatus> {
  const local = buildCommandPayload(commands, target);
  const registered = (await rest.get(commandsRoute(target))) as APIApplicationCommand[];
  const differences = diffApplicationCommands(local, registered, target);
  const where = describeTarget(target);
  if (!differences.length) {
    options.logger.info({ target: where, commands: local.length }, 'discord: slash commands are up to date');
    return { state: 'in-sync', commandIds: idsOf(registered) };
  }
  if (options.sync) {
    const synced = (await rest.put(commandsRoute(target), { body: local })) as APIApplicationCommand[];
    options.logger.info(
      { target: where, differences },
      'discord: slash commands synced (DISCORD_SYNC_COMMANDS)',
    );
    return { state: 'synced', differences, commandIds: idsOf(synced) };
  }
  options.logger.warn(
    { target: where, differences },
    'discord: registered slash commands differ from this version; run `npm run deploy-commands` ' +
      '(or set DISCORD_SYNC_COMMANDS=true) so users see the current commands',
  );
  // A command registered under the same name is still what a mention of that name opens.
  return { state: 'differs', differences, commandIds: idsOf(registered) };
}
