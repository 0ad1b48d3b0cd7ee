/** What the process itself tells the person or supervisor starting it (stderr, plain text). */
export const PROCESS_TEXTS = {
  consoleFromPipe:
    'No platform is configured (TELEGRAM_BOT_TOKEN, or DISCORD_TOKEN and DISCORD_APPLICATION_ID; see .env.example): answering the questions on stdin, one per line.',
  consoleNoInput:
    'stdin held no question, so there was nothing to do: exit code 1. To run the bot, configure a platform; to chat, run `npm start` in a terminal or pipe questions in.',
} as const;

/** Usage lines of the command-line tools. */
export const CLI_TEXTS = {
  askUsage: [
    'usage: npm run ask -- "your question"',
    '       npm run --silent ask -- --json < questions.txt',
    '  --json      one JSON object per input line on stdout; a line {"conversation": "id", "q": "text"}',
    "              is answered in that conversation's context, any other line on its own",
    '  -h, --help  this text',
  ].join('\n'),
} as const;
