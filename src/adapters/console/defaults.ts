/** Tuning of the console chat in a terminal. */
export const CONSOLE_DEFAULTS = Object.freeze({
  /** Lines kept for the arrow keys (readline's own default is 30). */
  historySize: 200,
  /** Wrapping width when the terminal does not tell its own (stdout is not a terminal). */
  fallbackWidth: 80,
  /** Below this width, continuation lines drop their indentation rather than hold a word or two. */
  minTextWidth: 20,
});
