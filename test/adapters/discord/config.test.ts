import { describe, expect, test } from 'vitest';
import {
  applicationIdFromToken,
  ConfigError,
  loadConfig,
  loadDiscordApplication,
} from '../../../src/config.ts';

/** The Discord part of the configuration: the application id is optional when the token carries it. */

const ID = '1052369874123654789';
/** Shaped like a bot token: the base64 of the bot's id, a timestamp part, an HMAC part. */
const tokenFor = (first: string) => `${first}.GhIjKl.${'t'.repeat(38)}`;
const TOKEN = tokenFor(Buffer.from(ID).toString('base64url'));

const problemsOf = (load: () => unknown): string => {
  try {
    load();
    return '';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
};

describe('the application id a bot token carries', () => {
  test('is the decoded first part when that is a snowflake (padding or not, either alphabet)', () => {
    expect(applicationIdFromToken(TOKEN)).toBe(ID);
    expect(applicationIdFromToken(tokenFor(Buffer.from(ID).toString('base64')))).toBe(ID);
    expect(applicationIdFromToken(tokenFor(Buffer.from('80351110224678912').toString('base64url')))).toBe(
      '80351110224678912',
    );
  });

  test('is nothing when the first part is not a snowflake', () => {
    for (const first of ['AAAAAAAAAAAAAAAAAAAAAAAA', Buffer.from('12ab34').toString('base64url'), '']) {
      expect(applicationIdFromToken(tokenFor(first))).toBeUndefined();
    }
    // Digits, but past 64 bits: not an id.
    expect(applicationIdFromToken(tokenFor(Buffer.from('99999999999999999999').toString('base64url')))).toBe(
      undefined,
    );
  });
});

describe('loadConfig (Discord)', () => {
  test('DISCORD_APPLICATION_ID is optional when the token carries it; set, it wins', () => {
    expect(loadConfig({ DISCORD_TOKEN: TOKEN }).discord).toEqual({
      token: TOKEN,
      applicationId: ID,
      syncCommands: false,
    });
    expect(
      loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: '123456789012345678' }).discord,
    ).toEqual({
      token: TOKEN,
      applicationId: '123456789012345678',
      syncCommands: false,
    });
  });

  test('a token without a readable id needs DISCORD_APPLICATION_ID, named with where to find it', () => {
    const message = problemsOf(() => loadConfig({ DISCORD_TOKEN: tokenFor('AAAAAAAAAAAAAAAAAAAAAAAA') }));
    expect(message).toContain(
      'DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set and its first part does not carry the id (Developer Portal > your application > General Information > Application ID)',
    );
    expect(message).not.toContain('tttt');
  });

  test('loadDiscordApplication needs no token: the id from either variable, and the guild', () => {
    expect(loadDiscordApplication({})).toEqual({});
    expect(
      loadDiscordApplication({ DISCORD_APPLICATION_ID: ID, DISCORD_GUILD_ID: '123456789012345678' }),
    ).toEqual({ applicationId: ID, guildId: '123456789012345678' });
    expect(loadDiscordApplication({ DISCORD_TOKEN: TOKEN })).toEqual({ applicationId: ID });
    expect(problemsOf(() => loadDiscordApplication({ DISCORD_APPLICATION_ID: 'abc' }))).toMatch(
      /DISCORD_APPLICATION_ID: must be the numeric application id/,
    );
  });
});
