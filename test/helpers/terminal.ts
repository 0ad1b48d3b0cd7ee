import { stripVTControlCharacters } from 'node:util';

/** The text a terminal shows of what a program wrote: no cursor movements, no carriage returns. */
export const screenOf = (raw: string): string => stripVTControlCharacters(raw).replace(/\r/g, '');
