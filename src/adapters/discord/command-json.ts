import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandOption } from '../../../commands/types.ts';
import { DISCORD_LIMITS as L } from './limits.ts';

/** One slash command as PUT to Discord. */
export type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface CommandScope {
  /** Guild commands update instantly and may not carry `contexts` or `integration_types`. */
  readonly guildId?: string;
}

function optionJson(option: CommandOption): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: option.description, required: option.required ?? false };
  if (option.type === 'boolean') return { ...base, type: ApplicationCommandOptionType.Boolean };
  return {
    ...base,
    type: ApplicationCommandOptionType.String,
    ...(option.maxLength === undefined ? {} : { max_length: option.maxLength }),
    // Discord rejects an option that has both; validation reports it, so emit what was declared.
    ...(option.choices ? { choices: option.choices.map((c) => ({ name: c.name, value: c.value })) } : {}),
    ...(option.complete ? { autocomplete: true } : {}),
  } as APIApplicationCommandBasicOption;
}

/** The platform-neutral command list as Discord application commands (one definition drives both). */
export function toApplicationCommands(commands: readonly Command[], scope: CommandScope = {}): CommandJson[] {
  return commands.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    options: command.options.map(optionJson),
    ...(scope.guildId
      ? {}
      : {
          // Explicit, so a change of Discord's defaults cannot silently hide the bot from DMs.
          contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
          integration_types: [ApplicationIntegrationType.GuildInstall],
        }),
  }));
}

const length = (text: string) => [...text].length;

/**
 * The rules a command and an option share: a valid, unique name and a 1-100 character description.
 * Records problems and returns the description's length.
 */
function checkNamed(
  at: string,
  named: { readonly name: string; readonly description: string },
  seen: Set<string>,
  problems: string[],
): number {
  if (!L.commandName.test(named.name))
    problems.push(`${at}: name must be 1-32 characters of a-z, 0-9, - and _`);
  if (seen.has(named.name)) problems.push(`${at}: defined twice`);
  seen.add(named.name);
  const description = length(named.description);
  if (description < 1 || description > L.commandDescription) {
    problems.push(`${at}: description must be 1-${L.commandDescription} characters (has ${description})`);
  }
  return description;
}

/**
 * Checks a command set against Discord's limits before anything is sent, so a bad definition
 * fails here with its name instead of as a 400 from Discord. Returns one line per problem.
 */
export function validateApplicationCommands(commands: readonly CommandJson[]): string[] {
  const problems: string[] = [];
  if (commands.length > L.commandsPerScope) {
    problems.push(`${commands.length} commands; Discord allows ${L.commandsPerScope} slash commands`);
  }
  const names = new Set<string>();
  for (const command of commands) {
    const where = `/${command.name}`;
    const description = checkNamed(where, command, names, problems);
    const options = command.options ?? [];
    if (options.length > L.commandOptions) {
      problems.push(`${where}: ${options.length} options; at most ${L.commandOptions}`);
    }
    let total = length(command.name) + description;
    let seenOptional = false;
    const optionNames = new Set<string>();
    for (const option of options) {
      const at = `${where} option "${option.name}"`;
      total += length(option.name) + checkNamed(at, option, optionNames, problems);
      if (option.required && seenOptional)
        problems.push(`${at}: required options must come before optional ones`);
      if (!option.required) seenOptional = true;
      if (option.type !== ApplicationCommandOptionType.String) continue;
      if (
        option.max_length !== undefined &&
        (option.max_length < 1 || option.max_length > L.stringOptionMaxLength)
      ) {
        problems.push(`${at}: max_length must be 1-${L.stringOptionMaxLength}`);
      }
      const choices = option.choices ?? [];
      if (choices.length && option.autocomplete)
        problems.push(`${at}: cannot have both choices and autocomplete`);
      if (choices.length > L.optionChoices) {
        problems.push(`${at}: ${choices.length} choices; at most ${L.optionChoices}`);
      }
      for (const choice of choices) {
        total += length(choice.name) + length(String(choice.value));
        if (length(choice.name) < 1 || length(choice.name) > L.choiceName) {
          problems.push(
            `${at}: choice name "${choice.name.slice(0, 40)}" must be 1-${L.choiceName} characters`,
          );
        }
        if (length(choice.value) < 1 || length(choice.value) > L.choiceValue) {
          problems.push(
            `${at}: choice value "${choice.value.slice(0, 40)}" must be 1-${L.choiceValue} characters`,
          );
        }
      }
    }
    if (total > L.commandTotal)
      problems.push(`${where}: ${total} characters in all; at most ${L.commandTotal}`);
  }
  return problems;
}

/** The parts of a command that users see, with Discord's defaults filled in, for comparison. */
function comparable(command: CommandJson | APIApplicationCommand, scope: CommandScope): string {
  const options = (command.options ?? []).map((raw) => {
    const option = raw as APIApplicationCommandBasicOption & {
      choices?: readonly { name: string; value: string | number }[];
      autocomplete?: boolean;
      max_length?: number;
    };
    return {
      type: option.type,
      name: option.name,
      description: option.description,
      required: option.required ?? false,
      autocomplete: option.autocomplete ?? false,
      max_length: option.max_length ?? null,
      choices: (option.choices ?? []).map((c) => [c.name, c.value]),
    };
  });
  return JSON.stringify({
    type: command.type ?? ApplicationCommandType.ChatInput,
    description: command.description,
    options,
    // Guild commands have no contexts; Discord reports null for global commands created without.
    contexts: scope.guildId ? null : [...(command.contexts ?? [])].sort(),
    integration_types: scope.guildId ? null : [...(command.integration_types ?? [])].sort(),
  });
}

/** Human-readable differences between the local set and what Discord has registered; empty when in sync. */
export function diffApplicationCommands(
  local: readonly CommandJson[],
  registered: readonly APIApplicationCommand[],
  scope: CommandScope = {},
): string[] {
  const remote = new Map(registered.map((c) => [c.name, c]));
  const differences: string[] = [];
  for (const command of local) {
    const other = remote.get(command.name);
    if (!other) differences.push(`/${command.name} is not registered`);
    else if (comparable(command, scope) !== comparable(other, scope)) {
      differences.push(`/${command.name} differs from the registered version`);
    }
    remote.delete(command.name);
  }
  for (const name of remote.keys()) differences.push(`/${name} is registered but no longer exists`);
  return differences;
}
