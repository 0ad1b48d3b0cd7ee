/** Every user-facing string the Discord adapter sends on its own (replies come from the core). */
export const DISCORD_TEXTS = Object.freeze({
  /** The article's own words: its publisher and headline, as the knowledge base gives them. */
  footer: (publisher: string, headline: string) => `Source: ${publisher}, "${headline}"`,
  /** Title of a "did you mean" or a decline: what was asked, so the choice reads in context. */
  asked: (question: string) => `You asked: "${question}"`,
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  previousPage: '◀ Previous',
  nextPage: 'Next ▶',
  /** The `private` option every slash command gets. */
  privateOption: 'Only you see the answer',
  cooldown: (seconds: number) =>
    `You're asking quickly; please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`,
  failure: 'Sorry, something went wrong while answering. Please try again in a moment.',
  unknownCommand: (name: string) =>
    `The command /${name} is not available in this version of the bot. Type / to see the current commands.`,
  staleButton: 'This button is from an older answer. Ask the question again with /ask.',
  ellipsis: '…',
});
