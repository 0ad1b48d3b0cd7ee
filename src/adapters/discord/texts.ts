/** Every user-facing string the Discord adapter sends on its own (replies come from the core). */
export const DISCORD_TEXTS = Object.freeze({
  footer: (publisher: string) => `Source: ${publisher}`,
  cooldown: (seconds: number) =>
    `You're asking quickly; please wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`,
  failure: 'Sorry, something went wrong while answering. Please try again in a moment.',
  unknownCommand: (name: string) =>
    `The command /${name} is not available in this version of the bot. Type / to see the current commands.`,
  staleButton: 'This button is from an older answer. Ask the question again with /ask.',
  ellipsis: '…',
});
