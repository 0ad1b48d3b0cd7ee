/** Every user-facing string of the console chat (the core's replies come from src/core/texts.ts). */
export const CONSOLE_TEXTS = Object.freeze({
  prompt: 'you> ',
  /** Before each reply in a terminal; a pipe gets the reply alone. */
  replyPrefix: 'bot> ',
  banner: (headline: string, publisher: string, quoteExample: string) =>
    [
      `Article Q&A bot: ask about "${headline}" (${publisher}).`,
      `Type a question, a number to pick a suggestion, or ${quoteExample}, /topics, /about, /help. Ctrl+C or Ctrl+D quits.`,
      'For example:',
    ].join('\n'),
  /** Added to the help in a terminal, after the command list: what only the console can do. */
  helpNote:
    'Type a number to ask one of the numbered questions (1 for the first), + or - right after an answer to say whether it helped. Ctrl+C or Ctrl+D quits.',
  /** "+" or "-" with no answer just before it to vote on. */
  nothingToRate: 'Type + or - right after an answer to say whether it helped.',
  goodbye: 'Bye!',
  failure: 'Sorry, something went wrong with that one. Please try again, or ask something else.',
});
