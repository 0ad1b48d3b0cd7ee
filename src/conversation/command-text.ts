import type { CommandUsage } from '../core/reply.ts';

/**
 * "/quote kirby war" typed as text (console, Telegram, a Discord DM or mention): the command's
 * name, lower-cased, and the rest. Telegram's "/quote@SomeBot" form is accepted. One parser, so
 * every platform reads command text the same way.
 */
export function parseCommandText(text: string): { name: string; rest: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  const name = match?.[1];
  return name ? { name: name.toLowerCase(), rest: (match?.[2] ?? '').trim() } : undefined;
}

/**
 * One help line, "/quote [speaker] [topic]: A verbatim quote… (e.g. /quote putin)", with the
 * platform's way of writing a command (`invoke`: "/quote" in text, a mention on Discord).
 */
export function commandHelpLine(usage: CommandUsage, invoke: (name: string) => string): string {
  const head = `${invoke(usage.name)}${usage.args ? ` ${usage.args}` : ''}`;
  const example = usage.example ? ` (e.g. ${invoke(usage.name)} ${usage.example})` : '';
  return `${head}: ${usage.description}${example}`;
}

/** The help list as plain lines, for platforms whose commands are typed as text. */
export function commandHelpText(
  usages: readonly CommandUsage[],
  invoke: (name: string) => string = (name) => `/${name}`,
): string {
  return usages.map((u) => `- ${commandHelpLine(u, invoke)}`).join('\n');
}
