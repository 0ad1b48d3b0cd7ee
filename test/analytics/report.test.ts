import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Analytics, openAnalytics } from '../../src/analytics/index.ts';
import {
  declinedCsv,
  produceReport,
  type Report,
  renderHtml,
  renderText,
} from '../../src/analytics/report/index.ts';
import type { VotedEvent } from '../../src/analytics/store.ts';
import type { QuestionEvent, ReplyKind } from '../../src/analytics/types.ts';
import { CLI_TEXTS } from '../../src/cli/texts.ts';
import type { AnalyticsConfig } from '../../src/config.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { type BackendName, ManualClock, memoryLogger, useBackend } from './helpers.ts';

const service = createQaService(loadKnowledge());
const tokens = (text: string) => service.tokens(text);
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const DAY = 86_400_000;
const root = resolve(import.meta.dirname, '../..');

interface Seed {
  readonly day: string;
  readonly platform: string;
  readonly user: string;
  readonly question: string;
  readonly kind: ReplyKind;
  readonly entryId?: string;
  readonly confidence?: number;
  /** Votes in order: [user, +1|-1]; a user's later vote replaces the earlier. */
  readonly votes?: readonly (readonly [string, 1 | -1])[];
}

/** A week of questions with known figures (see the expectations below). */
const SEED: readonly Seed[] = [
  { day: '2026-11-10', platform: 'telegram', user: 'u9', question: 'too old for the week', kind: 'decline' },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u1',
    question: 'how many people died in the war',
    kind: 'decline',
    confidence: 0.9,
  },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u2',
    question: 'How many people  died in the war',
    kind: 'decline',
    confidence: 0.9,
  },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u2',
    question: 'how many soldiers were killed',
    kind: 'decline',
    confidence: 0.85,
  },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u1',
    question: '=what is the weather today',
    kind: 'decline',
    confidence: 0.8,
  },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u1',
    question: 'who is kirby',
    kind: 'answer',
    entryId: 'kirby-role',
    confidence: 0.95,
    votes: [
      ['u1', 1],
      ['u2', 1],
    ],
  },
  {
    day: '2026-11-18',
    platform: 'telegram',
    user: 'u2',
    question: 'what did putin say',
    kind: 'answer',
    entryId: 'putin-wants-end',
    confidence: 0.75,
    votes: [['u1', -1]],
  },
  {
    day: '2026-11-19',
    platform: 'discord',
    user: 'u3',
    question: "putin's words?",
    kind: 'answer',
    entryId: 'putin-wants-end',
    confidence: 0.72,
    votes: [
      ['u3', -1],
      ['u3', 1],
    ],
  },
  {
    day: '2026-11-19',
    platform: 'discord',
    user: 'u3',
    question: 'casualties so far, "roughly"',
    kind: 'decline',
    confidence: 0.7,
  },
  { day: '2026-11-19', platform: 'discord', user: 'u3', question: 'hello', kind: 'smalltalk' },
  {
    day: '2026-11-19',
    platform: 'discord',
    user: 'u3',
    question: 'what about him',
    kind: 'clarify',
    entryId: 'kirby-role',
    confidence: 0.4,
  },
  { day: '2026-11-19', platform: 'discord', user: 'u3', question: '/quote kirby', kind: 'info' },
  {
    day: '2026-11-20',
    platform: 'console',
    user: 'u4',
    question: 'who is kirby?',
    kind: 'answer',
    entryId: 'kirby-role',
    confidence: 0.91,
    votes: [['u4', -1]],
  },
];

async function seed(config: AnalyticsConfig): Promise<void> {
  const clock = new ManualClock(Date.UTC(2026, 10, 1));
  const analytics: Analytics = await openAnalytics(config, {
    logger: memoryLogger().logger,
    now: clock.now,
    scheduler: clock.scheduler,
    retention: false,
  });
  for (const [minute, s] of SEED.entries()) {
    clock.nowMs = Date.parse(`${s.day}T09:00:00Z`) + (minute + 1) * 60_000;
    const event: QuestionEvent = {
      platform: s.platform,
      user: analytics.keys.user(s.platform, s.user),
      conversation: analytics.keys.conversation(s.platform, s.user),
      question: s.question,
      kind: s.kind,
      ...(s.entryId ? { entryId: s.entryId } : {}),
      ...(s.confidence === undefined ? {} : { confidence: s.confidence }),
      followUp: false,
      latencyMs: 1,
    };
    const id = analytics.recorder.record(event) ?? '';
    for (const [user, vote] of s.votes ?? []) {
      clock.nowMs += 1_000;
      analytics.votes.cast(id, analytics.keys.user(s.platform, user), vote);
      await analytics.flush(); // so a changed vote really replaces a stored one
    }
  }
  await analytics.close();
}

describe.each<BackendName>(['sqlite', 'postgres'])('the report on a seeded %s database', (name) => {
  const backend = useBackend(name);
  let result: { report: Report; events: VotedEvent[] };
  let config: AnalyticsConfig;

  beforeAll(async () => {
    config = await backend.config();
    await seed(config);
    const { openDatabase } = await import('../../src/analytics/database.ts');
    const { AnalyticsStore } = await import('../../src/analytics/store.ts');
    const db = await openDatabase(config.database);
    try {
      result = await produceReport(new AnalyticsStore(db), { from: NOW - 7 * DAY, to: NOW + 1, tokens });
    } finally {
      await db.close();
    }
  });

  it('counts questions per day, per platform and per reply kind', () => {
    const { report } = result;
    expect(report.total).toBe(12);
    expect(report.platforms).toEqual([
      { platform: 'telegram', count: 6 },
      { platform: 'discord', count: 5 },
      { platform: 'console', count: 1 },
    ]);
    expect(report.days.map((d) => [d.day, d.count])).toEqual([
      ['2026-11-13', 0],
      ['2026-11-14', 0],
      ['2026-11-15', 0],
      ['2026-11-16', 0],
      ['2026-11-17', 0],
      ['2026-11-18', 6],
      ['2026-11-19', 5],
      ['2026-11-20', 1],
    ]);
    expect(report.days[6]?.byPlatform).toEqual({ discord: 5 });
    expect(report.kinds.map((k) => [k.kind, k.count, Number(k.share.toFixed(4))])).toEqual([
      ['answer', 4, 0.3333],
      ['clarify', 1, 0.0833],
      ['decline', 5, 0.4167],
      ['smalltalk', 1, 0.0833],
      ['other', 1, 0.0833],
    ]);
  });

  it("groups declined and clarified questions by the matcher's tokens, largest group first", () => {
    const { report } = result;
    expect(
      report.declined.map((g) => [g.size, g.distinct, g.examples.map((e) => `${e.count}× ${e.question}`)]),
    ).toEqual([
      [3, 2, ['2× how many people died in the war', '1× how many soldiers were killed']],
      // Groups of one size come in the order of their questions' text.
      [1, 1, ['1× =what is the weather today']],
      [1, 1, ['1× casualties so far, "roughly"']],
    ]);
    expect(report.clarified.map((g) => g.examples.map((e) => e.question))).toEqual([['what about him']]);
  });

  it('ranks entries by 👎 rate with the questions that got 👎, and a second press counts once', () => {
    const { report } = result;
    expect(report.entries).toEqual([
      {
        entryId: 'putin-wants-end',
        answers: 2,
        ups: 1,
        downs: 1,
        downRate: 0.5,
        downQuestions: ['what did putin say'],
      },
      {
        entryId: 'kirby-role',
        answers: 2,
        ups: 2,
        downs: 1,
        downRate: 1 / 3,
        downQuestions: ['who is kirby?'],
      },
    ]);
    expect(report.votes).toEqual({ ups: 3, downs: 2 });
  });

  it('sets claimed confidence against the 👍 share, band by band', () => {
    const bands = result.report.calibration.filter((b) => b.answers > 0);
    expect(bands).toEqual([
      {
        from: 0.7,
        to: 0.8,
        answers: 2,
        voted: 2,
        ups: 1,
        downs: 1,
        upShare: 0.5,
        meanConfidence: expect.closeTo(0.735, 9),
      },
      {
        from: 0.9,
        to: 1,
        answers: 2,
        voted: 2,
        ups: 2,
        downs: 1,
        upShare: 2 / 3,
        meanConfidence: expect.closeTo(0.93, 9),
      },
    ]);
    expect(result.report.calibration).toHaveLength(6);
  });

  it('prints every section as text', () => {
    const text = renderText(result.report);
    expect(text).toContain('2026-11-13 12:00 to 2026-11-20 12:00 (UTC), all platforms');
    expect(text).toContain('12 questions');
    expect(text).toMatch(/^ {2}2026-11-18 +6 +6 +0 +0$/m);
    expect(text).toMatch(/^ {2}declined +5 +41\.7%$/m);
    expect(text).toMatch(/^ {2}1\. 3 questions \(2 different\) +matcher tokens: howmani die war$/m);
    expect(text).toMatch(/^ {8}2× how many people died in the war$/m);
    expect(text).toMatch(/^ {2}putin-wants-end +2 +1 +1 +50\.0%$/m);
    expect(text).toMatch(/^ {6}👎 what did putin say$/m);
    expect(text).toMatch(/^ {2}0\.90–1\.00 +2 +2 +2 +1 +66\.7% +0\.93$/m);
  });

  it('renders one self-contained HTML page with every section and inline charts, fetching nothing', () => {
    const html = renderHtml(result.report, NOW);
    for (const id of [
      'summary',
      'per-day',
      'per-platform',
      'replies',
      'declined',
      'clarified',
      'entries',
      'calibration',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/:\/\/|<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).toContain('casualties so far, &quot;roughly&quot;'); // user text is escaped
    expect(html).toContain('=what is the weather today');
  });

  it('exports the declined questions as CSV, largest group first, safe to open in a spreadsheet', () => {
    expect(declinedCsv(result.events, result.report).split('\r\n')).toEqual([
      'time,platform,question,confidence,group,group_size',
      '2026-11-18T09:02:00.000Z,telegram,how many people died in the war,0.900,1,3',
      '2026-11-18T09:03:00.000Z,telegram,How many people  died in the war,0.900,1,3',
      '2026-11-18T09:04:00.000Z,telegram,how many soldiers were killed,0.850,1,3',
      "2026-11-18T09:05:00.000Z,telegram,'=what is the weather today,0.800,2,1",
      '2026-11-19T09:09:00.000Z,discord,"casualties so far, ""roughly""",0.700,3,1',
      '',
    ]);
  });

  it.runIf(name === 'sqlite')(
    'runs as `npm run report` with --platform, --html and --export-declined',
    async () => {
      const out = await mkdtemp(join(tmpdir(), 'report-cli-'));
      try {
        if (config.database.kind !== 'sqlite') throw new Error('expected SQLite');
        // An older report left world-readable: rewritten, it becomes the owner's only too.
        await writeFile(join(out, 'report.html'), 'old', { mode: 0o644 });
        const { stdout, stderr } = await promisify(execFile)(
          resolve(root, 'node_modules/.bin/tsx'),
          [
            'src/cli/report.ts',
            '--since',
            '2026-11-13',
            '--platform',
            'discord',
            '--html',
            join(out, 'report.html'),
            '--export-declined',
            join(out, 'declined.csv'),
          ],
          { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_PATH: config.database.path } },
        );
        expect(stdout).toContain('discord');
        expect(stdout).toMatch(/^5 questions$/m);
        expect(stdout).not.toContain('telegram');
        expect(stderr).toContain(`wrote the HTML report to ${join(out, 'report.html')}`);
        expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('id="calibration"');
        // Readers' questions: as private as the database.
        expect((await stat(join(out, 'report.html'))).mode & 0o777).toBe(0o600);
        expect((await stat(join(out, 'declined.csv'))).mode & 0o777).toBe(0o600);
        expect((await readFile(join(out, 'declined.csv'), 'utf8')).split('\r\n')[1]).toMatch(
          /^2026-11-19T09:09:00\.000Z,discord,"casualties so far, ""roughly""",0\.700,1,1$/,
        );
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
  );
});

const runReport = (env: Record<string, string>) =>
  promisify(execFile)(resolve(root, 'node_modules/.bin/tsx'), ['src/cli/report.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  }).then(
    (done) => ({ code: 0, ...done }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );

describe.each<BackendName>(['sqlite', 'postgres'])('the report reading a %s database', (name) => {
  const backend = useBackend(name);

  it('opens it read-only and never migrates it: a schema behind this checkout is named, not changed', async () => {
    const { migrateTo, openDatabase, pendingMigrations } = await import('../../src/analytics/database.ts');
    const database = await backend.database();
    const old = await openDatabase(database, { migrate: false });
    await migrateTo(old.db, '0001_events');
    await old.close();

    const reader = await openDatabase(database, { readOnly: true });
    try {
      expect(await pendingMigrations(reader.db)).toEqual(['0002_votes']);
      await expect(
        reader.db
          .insertInto('kysely_migration' as never)
          .values({ name: 'x', timestamp: 'now' } as never)
          .execute(),
      ).rejects.toThrow(/read-only|readonly/i);
    } finally {
      await reader.close();
    }

    const env: Record<string, string> =
      database.kind === 'sqlite'
        ? { DATABASE_PATH: database.path }
        : { DATABASE_URL: database.url, ANALYTICS_SECRET: 'test-secret-0123456789abcdef' };
    const run = await runReport(env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(CLI_TEXTS.reportSchemaBehind(['0002_votes']));
    expect(run.stdout).toBe('');
    const after = await openDatabase(database, { readOnly: true });
    try {
      expect(await pendingMigrations(after.db)).toEqual(['0002_votes']); // still: the bot migrates it
    } finally {
      await after.close();
    }
  });

  it.runIf(name === 'sqlite')('says so when there is no question log yet, creating nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-missing-'));
    try {
      const path = join(dir, 'var', 'analytics.sqlite');
      const run = await runReport({ DATABASE_PATH: path });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(CLI_TEXTS.reportNoDatabase(path));
      expect(existsSync(join(dir, 'var'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.runIf(name === 'sqlite')(
    'prints questions with escape sequences and line breaks as one harmless line; the CSV keeps the break quoted',
    async () => {
      const config = await backend.config();
      const analytics = await openAnalytics(config, { logger: memoryLogger().logger, retention: false });
      const hostile = (question: string, kind: ReplyKind, extra: Partial<QuestionEvent> = {}) =>
        analytics.recorder.record({
          platform: 'telegram',
          user: analytics.keys.user('telegram', '1'),
          conversation: analytics.keys.conversation('telegram', '1'),
          question,
          kind,
          followUp: false,
          latencyMs: 1,
          ...extra,
        }) ?? '';
      hostile('\u001b[31mred alert\nnew line', 'decline', { confidence: 0.2 });
      const answered = hostile('who is kirby\u001b]0;pwned\u0007\r\nnext', 'answer', {
        entryId: 'kirby-role',
        confidence: 0.9,
      });
      analytics.votes.cast(answered, analytics.keys.user('telegram', '2'), -1);
      await analytics.close();

      const { openDatabase } = await import('../../src/analytics/database.ts');
      const { AnalyticsStore } = await import('../../src/analytics/store.ts');
      const db = await openDatabase(config.database, { readOnly: true });
      let produced: { report: Report; events: VotedEvent[] };
      try {
        const now = Date.now();
        produced = await produceReport(new AnalyticsStore(db), { from: now - DAY, to: now + 1, tokens });
      } finally {
        await db.close();
      }
      const text = renderText(produced.report);
      expect(text.replaceAll('\n', '')).not.toMatch(/\p{Cc}/u); // no escape, no stray line break
      expect(text).toMatch(/^ +1× \ufffd\[31mred alert new line$/m);
      expect(text).toMatch(/^ +👎 who is kirby\ufffd\]0;pwned\ufffd {2}next$/m);
      const html = renderHtml(produced.report, Date.now());
      expect(html).not.toContain('\u001b');
      expect(html).toContain('\ufffd[31mred alert new line');
      const csv = declinedCsv(produced.events, produced.report);
      expect(csv.split('\r\n')[1]).toMatch(/^[^,]+,telegram,"\ufffd\[31mred alert\nnew line",0\.200,1,1$/);
      expect(csv).not.toContain('\u001b');
    },
  );
});
