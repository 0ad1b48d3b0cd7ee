/**
 * Every user-facing string the Telegram adapter adds on top of the core's replies, in one place.
 * All are plain text: the renderer escapes them like any other text.
 */
export const TELEGRAM_TEXTS = Object.freeze({
  welcomeGreeting: 'Hi! I answer questions about one news article:',
  welcomeBody: (publisher: string) =>
    `Published by ${publisher}. Ask me anything about it in your own words, or tap an example below. ` +
    '/help lists every command, and in any chat you can type my @name followed by a question.',
  slowDown: (seconds: number) =>
    `You're asking faster than I can keep up. Please wait ${seconds} s and ask again.`,
  slowDownToast: (seconds: number) => `Too many questions at once: try again in ${seconds} s.`,
  buttonExpired: 'This button has expired. Please type your question instead.',
  textOnly: 'I can only read text. Please type your question about the article.',
  internalError: 'Sorry, something went wrong on my side. Please try again in a moment.',
});
