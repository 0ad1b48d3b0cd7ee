import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const PG_URL = 'postgres://bot:s3cr3t-pw@db.internal:5432/analytics';
const SECRET = 'a-long-enough-secret-value';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('analytics configuration', () => {
  it('records into var/analytics.sqlite by default, keeping 90 days', () => {
    expect(loadConfig({}).analytics).toEqual({
      questionLog: true,
      database: { kind: 'sqlite', path: 'var/analytics.sqlite' },
      retentionDays: 90,
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
    const message = problems({ DATABASE_URL: PG_URL });
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
    const message = problems(env);
    expect(message).toMatch(expected);
    expect(message).not.toContain('s3cr3t');
    expect(message).not.toContain('short');
  });
});
