/** What the process itself tells the person or supervisor starting it (stderr, plain text). */
export const PROCESS_TEXTS = {
  consoleFromPipe:
    'No platform is configured (TELEGRAM_BOT_TOKEN or DISCORD_TOKEN; see .env.example): answering the questions on stdin, one per line.',
  consoleNoInput:
    'stdin held no question, so there was nothing to do: exit code 1. To run the bot, configure a platform; to chat, run `npm start` in a terminal or pipe questions in.',
} as const;

/** Usage lines and notes of the command-line tools. */
export const CLI_TEXTS = {
  noIndex: (why: string) =>
    `build: the knowledge base did not load, so no tokenized index was saved (start-up will build it; npm run check-data says why): ${why}`,
  askUsage: [
    'usage: npm run ask -- "your question"',
    '       npm run --silent ask -- --json < questions.txt',
    '  --json      one JSON object per input line on stdout; a line {"conversation": "id", "q": "text"}',
    "              is answered in that conversation's context, any other line on its own",
    '  -h, --help  this text',
  ].join('\n'),
  reportUsage: [
    'usage: npm run report -- [--since 7d] [--platform telegram] [--html report.html] [--export-declined declined.csv]',
    '  --since SPAN            the period: 24h, 7d (default), 2w, or from a UTC date such as 2026-11-01',
    '  --platform NAME         only this platform (telegram, discord, console)',
    '  --html FILE             also write the report as one self-contained HTML page',
    '  --export-declined FILE  write the declined questions as CSV, grouped by similarity',
    '  -h, --help              this text',
    'Reads the question log at DATABASE_PATH (default var/analytics.sqlite in the checkout, wherever the report runs), or DATABASE_URL.',
  ].join('\n'),
  reportNoDatabase: (path: string) =>
    `No question log at ${path} (DATABASE_PATH): nothing has been recorded yet, or DATABASE_PATH points elsewhere.`,
  reportSchemaBehind: (missing: readonly string[]) =>
    `The question log's schema is older than this checkout (missing: ${missing.join(', ')}). The report never migrates it, so that a bot still running an older version keeps working: start this version of the bot once (it migrates at start-up), then run the report again.`,
  reportWrote: (what: string, path: string) => `wrote ${what} to ${path}`,
} as const;

/** What `npm run deploy-commands` and `npm run invite-url` print. */
export const DISCORD_CLI_TEXTS = {
  deployUsage: [
    'usage: npm run deploy-commands [-- --dry-run]',
    '  --dry-run  validate and print the payload, send nothing (needs no credentials)',
  ].join('\n'),
  deployNeedsToken:
    'DISCORD_TOKEN must be set to deploy slash commands (DISCORD_APPLICATION_ID too, unless the token carries it; see .env.example). `npm run deploy-commands -- --dry-run` needs neither.',
  dryRun: (count: number, where: string) => `valid: ${count} commands for ${where} (dry run, nothing sent)`,
  registered: (count: number, where: string, names: readonly string[]) =>
    `Registered ${count} slash commands for ${where}: ${names.map((n) => `/${n}`).join(', ')}`,
  globalDelay: 'Global commands can take a few minutes to appear in every server.',
  inviteUsage: [
    'usage: npm run invite-url',
    '  prints the URL that adds the bot to a server (scopes bot and applications.commands, and the',
    '  permissions the bot needs); reads DISCORD_APPLICATION_ID, or the id carried by DISCORD_TOKEN',
  ].join('\n'),
  inviteNeedsId:
    'Set DISCORD_APPLICATION_ID (Developer Portal > your application > General Information > Application ID), or DISCORD_TOKEN, which carries it.',
  inviteExplained: (permissions: readonly string[]) =>
    `Open this URL to add the bot to a server you manage (permissions: ${permissions.join(', ')}). Then run \`npm run deploy-commands\` so its slash commands appear.`,
} as const;
