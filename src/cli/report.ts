import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openDatabase, pendingMigrations } from '../analytics/database.ts';
import { REPORT_CONFIG } from '../analytics/report/config.ts';
import { declinedCsv, parseSince, produceReport, renderHtml, renderText } from '../analytics/report/index.ts';
import { AnalyticsStore } from '../analytics/store.ts';
import { loadConfig } from '../config.ts';
import { loadKnowledge } from '../core/knowledge.ts';
import { createQaService } from '../core/service.ts';
import { runMain } from './run-main.ts';
import { exitQuietlyWhenStdoutCloses } from './stdout.ts';
import { CLI_TEXTS } from './texts.ts';

/**
 * `npm run report -- [--since 7d] [--platform telegram] [--html report.html]
 * [--export-declined declined.csv]`: what readers asked and where the bot failed, from the
 * question log, on stdout (and as HTML or CSV files when asked). Groups use the matcher's own
 * tokens, so the knowledge base in use decides what "similar" means.
 */
runMain(async () => {
  exitQuietlyWhenStdoutCloses();
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${CLI_TEXTS.reportUsage}\n`,
    );
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(`${CLI_TEXTS.reportUsage}\n`);
    return;
  }
  const now = Date.now();
  let from: number;
  try {
    from = parseSince(values.since ?? REPORT_CONFIG.defaultSince, now);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }

  const config = loadConfig();
  const { database } = config.analytics;
  if (database.kind === 'sqlite' && !existsSync(database.path)) {
    process.stderr.write(`${CLI_TEXTS.reportNoDatabase(database.path)}\n`);
    process.exitCode = 1;
    return;
  }
  const service = createQaService(loadKnowledge(config.knowledgeFile));
  // Read-only and never migrating: a newer checkout's report must not change the schema under
  // an older bot that is still running (the bot migrates when it starts).
  const opened = await openDatabase(database, { readOnly: true });
  try {
    const pending = await pendingMigrations(opened.db);
    if (pending.length) {
      process.stderr.write(`${CLI_TEXTS.reportSchemaBehind(pending)}\n`);
      process.exitCode = 1;
      return;
    }
    const { report, events } = await produceReport(new AnalyticsStore(opened), {
      from,
      to: now + 1,
      tokens: (text) => service.tokens(text),
      ...(values.platform ? { platform: values.platform } : {}),
    });
    process.stdout.write(renderText(report));
    if (values.html) {
      await writePrivate(values.html, renderHtml(report, now));
      process.stderr.write(`${CLI_TEXTS.reportWrote('the HTML report', values.html)}\n`);
    }
    if (values['export-declined']) {
      await writePrivate(values['export-declined'], declinedCsv(events, report));
      process.stderr.write(`${CLI_TEXTS.reportWrote('the declined questions', values['export-declined'])}\n`);
    }
  } finally {
    await opened.close();
  }
});

/** Readers' questions, as private as the database (0600), also when the file was already there. */
async function writePrivate(path: string, text: string): Promise<void> {
  const file = await open(path, 'w', 0o600);
  try {
    await file.chmod(0o600); // before the first byte: an older file keeps its mode otherwise
    await file.writeFile(text);
  } finally {
    await file.close();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      since: { type: 'string' },
      platform: { type: 'string' },
      html: { type: 'string' },
      'export-declined': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
}
