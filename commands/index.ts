import { about } from './about.ts';
import { ask } from './ask.ts';
import { forget } from './forget.ts';
import { help } from './help.ts';
import { quote } from './quote.ts';
import { topics } from './topics.ts';
import type { Command } from './types.ts';

export type { Command, CommandArgs, CommandOption } from './types.ts';

/** Every command, in menu order. Adapters register exactly these. */
export const commands: readonly Command[] = [ask, quote, topics, about, forget, help];

export function findCommand(name: string): Command | undefined {
  const wanted = name.toLowerCase();
  return commands.find((c) => c.name === wanted);
}
