import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { configProblems } from '../helpers/config.ts';

const root = resolve(import.meta.dirname, '../..');
const PG_URL = 'postgres://bot:s3cr3t-pw@db.internal:5432/analytics';
const SECRET = 'a-long-enough-secret-value';

describe('analytics configuration', () => {
  it("records into the checkout's var/analytics.sqlite by default, wherever it starts, keeping 90 days", () => {
    const expected = {
      questionLog: true,
      database: { kind: 'sqlite', path: join(root, 'var', 'analytics.sqlite') },
      retentionDays: 90,
    };
    expect(loadConfig({}).analytics).toEqual(expected);
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      expect(loadConfig({}).analytics).toEqual(expected);
    } finally {
      process.chdir(cwd);
    }
  });

  it('keeps an explicit relative DATABASE_PATH relative to the working directory', () => {
    expect(loadConfig({ DATABASE_PATH: 'data/q.sqlite' }).analytics.database).toEqual({
      kind: 'sqlite',
      path: 'data/q.sqlite',
    });
  });

  it('takes DATABASE_PATH, ANALYTICS_RETENTION_DAYS, ANALYTICS_SECRET and QUESTION_LOG=off', () => {
    expect(
      loadConfig({
        DATABASE_PATH: '/srv/bot/questions.db',
        ANALYTICS_RETENTION_DAYS: '30',
        ANALYTICS_SECRET: SECRET,
        QUESTION_LOG: 'OFF',
      }).analytics,
    ).toEqual({
      questionLog: false,
      database: { kind: 'sqlite', path: '/srv/bot/questions.db' },
      secret: SECRET,
      retentionDays: 30,
    });
    expect(loadConfig({ QUESTION_LOG: 'on' }).analytics.questionLog).toBe(true);
  });

  it('uses PostgreSQL with DATABASE_URL, which then needs ANALYTICS_SECRET', () => {
    expect(loadConfig({ DATABASE_URL: PG_URL, ANALYTICS_SECRET: SECRET }).analytics.database).toEqual({
      kind: 'postgres',
      url: PG_URL,
    });
    const message = configProblems({ DATABASE_URL: PG_URL });
    expect(message).toMatch(/ANALYTICS_SECRET: required when DATABASE_URL is set/);
    expect(message).not.toContain('s3cr3t-pw');
  });

  it.each([
    [
      { DATABASE_URL: 'mysql://bot:s3cr3t-pw@db/x', ANALYTICS_SECRET: SECRET },
      /DATABASE_URL: must be a PostgreSQL URL/,
    ],
    [
      { DATABASE_URL: 'postgres://bot:s3#cr3t-pw@db/x', ANALYTICS_SECRET: SECRET },
      /DATABASE_URL: is not a valid URL/,
    ],
    [
      { DATABASE_URL: PG_URL, DATABASE_PATH: 'var/a.db', ANALYTICS_SECRET: SECRET },
      /DATABASE_PATH: set either/,
    ],
    [{ DATABASE_PATH: 'var/' }, /DATABASE_PATH: must name a file/],
    [{ ANALYTICS_SECRET: 'short' }, /ANALYTICS_SECRET: must be at least 16 characters/],
    [
      { ANALYTICS_RETENTION_DAYS: '0' },
      /ANALYTICS_RETENTION_DAYS: must be a whole number of days from 1 to 3650/,
    ],
    [{ ANALYTICS_RETENTION_DAYS: '7.5' }, /ANALYTICS_RETENTION_DAYS: must be a whole number/],
    [{ QUESTION_LOG: 'maybe' }, /QUESTION_LOG: must be on or off/],
  ])('refuses %o, naming the variable and never a password', (env, expected) => {
    const message = configProblems(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain('short');
  });
});
