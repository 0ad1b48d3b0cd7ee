import { LAYER_TEXTS } from '../src/conversation/texts.ts';
import type { Command } from './types.ts';

/** Deletes every recorded question (and vote) of the user who sends it; the layer runs it. */
export const forget: Command = {
  name: 'forget',
  description: 'Delete every question of yours the bot has recorded',
  options: [],
  layerAction: 'forget',
  parseText: () => ({}),
  run: () => ({
    kind: 'info',
    title: LAYER_TEXTS.forgetTitle,
    text: LAYER_TEXTS.forgetNotHere,
    quotes: [],
    suggestions: [],
    private: true,
  }),
};
