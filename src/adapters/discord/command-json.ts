import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBooleanOption,
  SlashCommandBuilder,
  SlashCommandStringOption,
} from 'discord.js';
import type { Command, CommandOption } from '../../../commands/types.ts';
import { DISCORD_LIMITS as L } from './limits.ts';
import { DISCORD_TEXTS as T } from './texts.ts';

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

/** The option every Discord command gets: answer ephemerally, seen only by the one who asked. */
export const PRIVATE_OPTION = 'private';

const privateOption: APIApplicationCommandBasicOption = {
  name: PRIVATE_OPTION,
  description: T.privateOption,
  required: false,
  type: ApplicationCommandOptionType.Boolean,
};

/** The command's own options, then `private` unless it declares one itself (/ask does). */
function optionsOf(command: Command): APIApplicationCommandBasicOption[] {
  const own = command.options.map(optionJson);
  return own.some((o) => o.name === PRIVATE_OPTION) ? own : [...own, privateOption];
}

/** The platform-neutral command list as Discord application commands (one definition drives both). */
export function toApplicationCommands(commands: readonly Command[], scope: CommandScope = {}): CommandJson[] {
  return commands.map((command) => ({
    type: ApplicationCommandType.ChatInput,
    name: command.name,
    description: command.description,
    options: optionsOf(command),
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
 * One command checked with discord.js's own builders (@discordjs/builders), whose validators hold
 * Discord's rules for names, descriptions, option counts, lengths and choices. Each part is checked
 * on its own, so every broken part is reported, not only the first.
 */
function checkWithBuilders(command: CommandJson, where: string, problems: string[]): void {
  const attempt = (at: string, build: () => unknown) => {
    try {
      build();
      return true;
    } catch (error) {
      problems.push(`${at}: ${describeBuilderError(error)}`);
      return false;
    }
  };
  attempt(`${where} name`, () => new SlashCommandBuilder().setName(command.name));
  attempt(`${where} description`, () => new SlashCommandBuilder().setDescription(command.description));
  const options = command.options ?? [];
  let optionsValid = true;
  for (const option of options) {
    optionsValid &&= attempt(`${where} option "${option.name}"`, () => optionBuilder(option));
  }
  if (optionsValid) {
    attempt(`${where} options`, () => {
      const builder = new SlashCommandBuilder().setName('check').setDescription('check');
      for (const option of options) builder.options.push(optionBuilder(option));
      return builder.toJSON();
    });
  }
}

function optionBuilder(option: APIApplicationCommandOption) {
  if (option.type === ApplicationCommandOptionType.Boolean) {
    return new SlashCommandBooleanOption()
      .setName(option.name)
      .setDescription(option.description)
      .setRequired(option.required ?? false);
  }
  const string = new SlashCommandStringOption()
    .setName(option.name)
    .setDescription(option.description)
    .setRequired(option.required ?? false);
  if (option.type !== ApplicationCommandOptionType.String) return string;
  if (option.max_length !== undefined) string.setMaxLength(option.max_length);
  if (option.choices?.length) string.addChoices(...option.choices);
  if (option.autocomplete) string.setAutocomplete(true);
  return string;
}

/** A builders validation error as one readable line ("s.number().lessThanOrEqual(): expected <= 25, given 26"). */
function describeBuilderError(error: unknown, path = ''): string {
  const at = path ? `${path}: ` : '';
  if (!error || typeof error !== 'object') return `${at}${String(error)}`;
  const e = error as {
    constraint?: string;
    expected?: string;
    given?: unknown;
    errors?: unknown[];
    message?: string;
  };
  if (e.constraint)
    return `${at}${e.constraint}: ${e.expected ?? ''}, given ${JSON.stringify(e.given)?.slice(0, 60)}`;
  if (Array.isArray(e.errors) && e.errors.length) {
    return e.errors
      .map((item) =>
        Array.isArray(item)
          ? describeBuilderError(item[1], `${path}${path ? '.' : ''}${String(item[0])}`)
          : describeBuilderError(item, path),
      )
      .join('; ');
  }
  return `${at}${e.message ?? String(error)}`;
}

/**
 * Checks a command set against Discord's limits before anything is sent, so a bad definition
 * fails here with its name instead of as a 400 from Discord. Each command goes through
 * discord.js's builders; what they do not check (the set's size, duplicate names, the 4,000
 * characters of one command in all, required options first) is checked here. One line per problem.
 */
export function validateApplicationCommands(commands: readonly CommandJson[]): string[] {
  const problems: string[] = [];
  if (commands.length > L.commandsPerScope) {
    problems.push(`${commands.length} commands; Discord allows ${L.commandsPerScope} slash commands`);
  }
  const names = new Set<string>();
  for (const command of commands) {
    const where = `/${command.name}`;
    if (names.has(command.name)) problems.push(`${where}: defined twice`);
    names.add(command.name);
    checkWithBuilders(command, where, problems);
    const options = command.options ?? [];
    let total = length(command.name) + length(command.description);
    let seenOptional = false;
    const optionNames = new Set<string>();
    for (const option of options) {
      const at = `${where} option "${option.name}"`;
      if (optionNames.has(option.name)) problems.push(`${at}: defined twice`);
      optionNames.add(option.name);
      total += length(option.name) + length(option.description);
      if (option.required && seenOptional)
        problems.push(`${at}: required options must come before optional ones`);
      if (!option.required) seenOptional = true;
      if (option.type !== ApplicationCommandOptionType.String) continue;
      for (const choice of option.choices ?? []) total += length(choice.name) + length(String(choice.value));
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
