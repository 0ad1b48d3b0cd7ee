import type { BotCommand } from 'telegraf/types';
import type { Command } from '../../../commands/types.ts';

/**
 * The command menu published with setMyCommands, from the same definitions that route the
 * commands. Validated here so a bad definition fails at start-up with its name, not as a bare
 * 400 from Telegram.
 */
export function toBotCommands(commands: readonly Command[]): BotCommand[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const command of commands) {
    if (!/^[a-z0-9_]{1,32}$/.test(command.name)) {
      problems.push(`"${command.name}": a Telegram command name is 1-32 characters of a-z, 0-9 and _`);
    }
    const description = command.description.trim();
    if (description.length < 1 || description.length > 256) {
      problems.push(`"${command.name}": the description must be 1-256 characters`);
    }
    if (seen.has(command.name)) problems.push(`"${command.name}" is defined twice`);
    seen.add(command.name);
  }
  if (commands.length > 100) problems.push(`Telegram allows 100 commands, got ${commands.length}`);
  if (problems.length)
    throw new Error(`Invalid command definitions for Telegram:\n  - ${problems.join('\n  - ')}`);
  return commands.map((command) => ({ command: command.name, description: command.description.trim() }));
}
