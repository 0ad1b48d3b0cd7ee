import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { toApplicationCommands } from '../../../src/adapters/discord/command-json.ts';
import { DiscordFake, snowflake } from '../../fakes/discord-fake.ts';

/**
 * `npm run deploy-commands` and `npm run invite-url` as an operator runs them: real processes
 * with exactly the given environment, in an empty directory (so no developer's .env is read),
 * against the local Discord fake.
 */

const root = resolve(import.meta.dirname, '../../..');
let cwd: string;
let fake: DiscordFake;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'discord-cli-'));
  fake = await DiscordFake.start();
});
afterAll(async () => {
  await fake.close();
  rmSync(cwd, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<Run> {
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), [resolve(root, script), ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** A token shaped like Discord's whose first part carries `id`, as real bot tokens do. */
function tokenFor(id: string): string {
  const first = Buffer.from(id).toString('base64url');
  return `${first}.GhIjKl.${'t'.repeat(38)}`;
}

const DEPLOY = 'src/cli/deploy-commands.ts';
const INVITE = 'src/cli/invite-url.ts';

describe('npm run deploy-commands', () => {
  test('--dry-run needs no credentials: it prints the JSON it would send and sends nothing', async () => {
    const before = fake.requests.length;
    const result = await run(DEPLOY, ['--dry-run'], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [json, summary] = result.stdout.split(/\n(?=valid: )/);
    expect(JSON.parse(json ?? '')).toEqual(toApplicationCommands(commands));
    expect(summary).toBe('valid: 6 commands for all servers (global) (dry run, nothing sent)\n');
    expect(fake.requests.length).toBe(before);
  }, 30_000);

  test('--dry-run with only DISCORD_GUILD_ID prints the guild payload (no contexts)', async () => {
    const guildId = snowflake();
    const result = await run(DEPLOY, ['--dry-run'], { DISCORD_GUILD_ID: guildId });
    expect(result.code).toBe(0);
    const [json] = result.stdout.split(/\n(?=valid: )/);
    expect(JSON.parse(json ?? '')).toEqual(toApplicationCommands(commands, { guildId }));
    expect(result.stdout).toContain(`valid: 6 commands for guild ${guildId} (dry run, nothing sent)`);
  }, 30_000);

  test('without DISCORD_APPLICATION_ID, the id is read from the token and the commands are registered', async () => {
    const token = tokenFor(fake.applicationId);
    const result = await run(DEPLOY, [], { DISCORD_TOKEN: token, DISCORD_API_ROOT: fake.apiRoot });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Registered 6 slash commands for all servers \(global\): \/ask, /);
    const put = fake.requests.findLast((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(put?.headers.authorization).toBe(`Bot ${token}`);
  }, 30_000);

  test('a wrong application id says Missing Access, cause first and hint after, never "login failed"', async () => {
    const token = tokenFor(fake.applicationId);
    const wrong = snowflake();
    const result = await run(DEPLOY, [], {
      DISCORD_TOKEN: token,
      DISCORD_APPLICATION_ID: wrong,
      DISCORD_API_ROOT: fake.apiRoot,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `Missing Access: the application id does not belong to this token (Discord answered 403, code 50001, for application ${wrong}).`,
    );
    expect(lines[1]).toMatch(
      /^ {2}hint: set DISCORD_APPLICATION_ID to the Application ID .* read from the token$/,
    );
    expect(lines).toHaveLength(2);
    expect(result.stderr).not.toMatch(/login failed/i);
    expect(result.stderr).not.toContain(token);
    expect(fake.requests.findLast((r) => r.method === 'PUT')?.path).toBe(`/applications/${wrong}/commands`);
  }, 30_000);

  test('a token that carries no id needs DISCORD_APPLICATION_ID, and says so by name', async () => {
    const result = await run(DEPLOY, [], {
      DISCORD_TOKEN: 'test-only-not-a-token-xx.fake.test-only-not-a-token-xx',
      DISCORD_API_ROOT: fake.apiRoot,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set and its first part/,
    );
    expect(result.stderr).not.toContain('test-only-not-a-token');
  }, 30_000);
});

describe('npm run invite-url', () => {
  const expected = (id: string) =>
    `https://discord.com/oauth2/authorize?client_id=${id}&scope=bot+applications.commands&permissions=274877991936\n`;

  test('prints the invite URL from DISCORD_APPLICATION_ID alone, on stdout alone', async () => {
    const id = snowflake();
    const result = await run(INVITE, [], { DISCORD_APPLICATION_ID: id });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected(id));
    expect(result.stderr).toContain(
      'permissions: ViewChannel, SendMessages, EmbedLinks, ReadMessageHistory, SendMessagesInThreads',
    );
  }, 30_000);

  test('reads the id from DISCORD_TOKEN when DISCORD_APPLICATION_ID is unset, never printing the token', async () => {
    const id = snowflake();
    const token = tokenFor(id);
    const result = await run(INVITE, [], { DISCORD_TOKEN: token });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expected(id));
    expect(result.stdout + result.stderr).not.toContain(token);
  }, 30_000);

  test('with neither, says which variable to set and exits 1', async () => {
    const result = await run(INVITE, [], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Set DISCORD_APPLICATION_ID \(Developer Portal/);
  }, 30_000);
});
