/**
 * Every user-facing string the Telegram adapter adds on top of the core's replies, in one place.
 * All are plain text: the renderer escapes them like any other text. Commands are written as
 * "/help" in running text, which Telegram makes tappable in the bot's messages.
 */
export const TELEGRAM_TEXTS = Object.freeze({
  welcomeGreeting: 'Hi! I answer questions about one news article:',
  welcomeBody: (publisher: string) =>
    `Published by ${publisher}. Ask me anything about it in your own words, or tap an example below. ` +
    '/help lists every command.',
  /** Only said when getMe reports inline mode on. */
  welcomeInline: (username: string) =>
    `In any other chat, type @${username} and a question to share an answer there.`,
  /** `/ask` with nothing after it; `example` is a whole invocation, "/ask Who is John Kirby?". */
  askUsage: (example: string) =>
    `Type your question after the command, for example:\n${example}\n\nIn a private chat you can also just send me the question. Or tap one of these:`,
  slowDown: (seconds: number) =>
    `You're asking faster than I can keep up. Please wait ${seconds} s and ask again.`,
  slowDownToast: (seconds: number) => `Too many questions at once: try again in ${seconds} s.`,
  buttonExpired: 'This button has expired. Please type your question instead.',
  textOnly: 'I can only read text. Please type your question about the article.',
  internalError: 'Sorry, something went wrong on my side. Please try again in a moment.',
  /** The line under an answer naming the article, then its headline (linked when the address is known). */
  sourceLead: (publisher: string) => `Source: ${publisher},`,
  /** As Discord's footer and /about write it. */
  quoted: (headline: string) => `"${headline}"`,
  /** Heads an inline decline, so the chat it is sent to sees what was asked. */
  inlineAsked: (query: string) => `You asked: ${query}`,
});

/**
 * Start-up warnings for the operator, naming the @BotFather setting to change (log lines, never
 * shown to users).
 */
export const TELEGRAM_SETUP_WARNINGS = Object.freeze({
  inlineOff: (username: string) =>
    `Inline mode is off for @${username}: typing "@${username} question" in other chats does nothing. ` +
    'Turn it on in @BotFather with /setinline.',
  privacyOn: (username: string) =>
    `Privacy mode is on for @${username}: in groups Telegram may deliver only commands and replies to the bot, ` +
    `so plain messages like "@${username} who is ...?" can go unanswered. Turn it off in @BotFather with ` +
    '/setprivacy (Disable), then remove and re-add the bot to each group; or make the bot a group admin.',
});
