/** What the process itself tells the person or supervisor starting it (stderr, plain text). */
export const PROCESS_TEXTS = {
  consoleFromPipe:
    'No platform is configured (TELEGRAM_BOT_TOKEN, or DISCORD_TOKEN and DISCORD_APPLICATION_ID; see .env.example): answering the questions on stdin, one per line.',
  consoleNoInput:
    'stdin held no question, so there was nothing to do: exit code 1. To run the bot, configure a platform; to chat, run `npm start` in a terminal or pipe questions in.',
} as const;
