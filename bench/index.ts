import { benchCore } from './core.ts';

/** `npm run bench`: figures and ratios for the core and each adapter. No test asserts timings. */
await benchCore();
