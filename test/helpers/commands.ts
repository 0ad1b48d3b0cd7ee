import type { Command } from '../../commands/types.ts';

/** A command whose run always throws, to check that one failing update never stops a bot. */
export const failingCommand: Command = {
  name: 'boom',
  description: 'Always fails',
  options: [],
  parseText: () => ({}),
  run: () => {
    throw new Error('kaboom');
  },
};
