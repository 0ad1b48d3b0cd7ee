import { afterEach, describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import { toApplicationCommands } from '../../../src/adapters/discord/command-json.ts';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.ts';
import { runDeployCommands } from '../../../src/cli/deploy-commands.ts';
import { chatInput, DiscordFake, fakeGuild, type RecordedRequest } from '../../fakes/discord-fake.ts';
import { startHarness } from './harness.ts';

/** Shaped like a bot token so config validation accepts it; the fake accepts anything. */
const TOKEN_SHAPED = 'test-only-not-a-token-xx.fake.test-only-not-a-token-xx';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const fakes: DiscordFake[] = [];
async function newFake(): Promise<DiscordFake> {
  const fake = await DiscordFake.start();
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const envFor = (fake: DiscordFake, extra: Record<string, string> = {}) => ({
  DISCORD_TOKEN: TOKEN_SHAPED,
  DISCORD_APPLICATION_ID: fake.applicationId,
  DISCORD_API_ROOT: fake.apiRoot,
  ...extra,
});

/** Every check Discord applies to a bulk overwrite, on the payload as received. */
function expectValidDeployPayload(request: RecordedRequest): void {
  expect(Array.isArray(request.body)).toBe(true);
  const body = request.body as ReturnType<typeof toApplicationCommands>;
  expect(body.length).toBeLessThanOrEqual(L.commandsPerScope);
  expect(new Set(body.map((c) => c.name)).size).toBe(body.length);
  for (const command of body) {
    expect(command.name).toMatch(L.commandName);
    expect(command.description.length).toBeGreaterThanOrEqual(1);
    expect(command.description.length).toBeLessThanOrEqual(L.commandDescription);
    const options = command.options ?? [];
    expect(options.length).toBeLessThanOrEqual(L.commandOptions);
    let optional = false;
    for (const option of options) {
      expect(option.name).toMatch(L.commandName);
      expect(option.description.length).toBeLessThanOrEqual(L.commandDescription);
      if (option.required)
        expect(optional, `${command.name}.${option.name} required after optional`).toBe(false);
      else optional = true;
      const choices = 'choices' in option ? (option.choices ?? []) : [];
      expect(choices.length).toBeLessThanOrEqual(L.optionChoices);
      if (choices.length) expect('autocomplete' in option && option.autocomplete).toBeFalsy();
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(L.choiceName);
        expect(String(choice.value).length).toBeLessThanOrEqual(L.choiceValue);
      }
    }
  }
}

describe('npm run deploy-commands', () => {
  test('PUTs the whole validated set to the guild route when DISCORD_GUILD_ID is set', async () => {
    const fake = await newFake();
    const guild = fakeGuild();
    const { io, out, err } = capture();
    expect(await runDeployCommands([], envFor(fake, { DISCORD_GUILD_ID: guild.id }), io)).toBe(0);
    expect(err).toEqual([]);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      `/applications/${fake.applicationId}/guilds/${guild.id}/commands`,
    ]);
    const [put] = puts;
    if (!put) return;
    expectValidDeployPayload(put);
    expect(put.body).toEqual(toApplicationCommands(commands, { guildId: guild.id }));
    expect(put.headers.authorization).toBe(`Bot ${TOKEN_SHAPED}`);
    expect(out).toEqual([
      `Registered 6 slash commands for guild ${guild.id}: /ask, /quote, /topics, /about, /forget, /help`,
    ]);
  });

  test('PUTs globally (with DM and server contexts) without DISCORD_GUILD_ID; re-running changes nothing', async () => {
    const fake = await newFake();
    const { io, out } = capture();
    expect(await runDeployCommands([], envFor(fake), io)).toBe(0);
    expect(await runDeployCommands([], envFor(fake), io)).toBe(0);
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      `/applications/${fake.applicationId}/commands`,
      `/applications/${fake.applicationId}/commands`,
    ]);
    expect(puts[0]?.body).toEqual(puts[1]?.body);
    for (const put of puts) expectValidDeployPayload(put);
    expect((puts[0]?.body as { contexts: number[] }[] | undefined)?.[0]?.contexts).toEqual([0, 1]);
    expect(out).toContain('Global commands can take a few minutes to appear in every server.');
  });

  test('--dry-run validates and prints the payload without sending anything', async () => {
    const fake = await newFake();
    const { io, out } = capture();
    expect(await runDeployCommands(['--dry-run'], envFor(fake), io)).toBe(0);
    expect(fake.requests).toEqual([]);
    expect(JSON.parse(out[0] ?? '')).toEqual(toApplicationCommands(commands));
    expect(out[1]).toBe('valid: 6 commands for all servers (global) (dry run, nothing sent)');
  });

  test('invalid definitions are refused before sending, naming each problem', async () => {
    const fake = await newFake();
    const bad: Command = {
      name: 'Bad Name',
      description: 'x'.repeat(120),
      options: [],
      parseText: () => ({}),
      run: () => ({ kind: 'smalltalk', text: '', suggestions: [] }),
    };
    const { io, err } = capture();
    expect(await runDeployCommands([], envFor(fake), io, [bad])).toBe(1);
    expect(fake.requests).toEqual([]);
    expect(err.join('\n')).toContain("The command definitions break Discord's limits:");
    expect(err.join('\n')).toMatch(/\/Bad Name name: s\.string\(\)\.regex\(\)/);
    expect(err.join('\n')).toMatch(/\/Bad Name description: .*expected\.length <= 100/);
  });

  test('a rejected token, missing variables and unknown arguments give clear messages and exit 1 or 2', async () => {
    const fake = await newFake();
    fake.rejectToken = true;
    const rejected = capture();
    expect(await runDeployCommands([], envFor(fake), rejected.io)).toBe(1);
    expect(rejected.err[0]).toMatch(/^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)\.\n {2}hint: /);

    // Any other refusal: what Discord answered first, then the hint; never "login failed".
    fake.rejectToken = false;
    fake.failNext('PUT', /\/commands$/, { status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const refused = capture();
    expect(await runDeployCommands([], envFor(fake), refused.io)).toBe(1);
    expect(refused.err).toEqual([
      `Discord refused the request: 400 (code 50035) Invalid Form Body on PUT /api/v10/applications/${fake.applicationId}/commands.\n  hint: set LOG_LEVEL=debug for details`,
    ]);

    const missing = capture();
    expect(await runDeployCommands([], {}, missing.io)).toBe(1);
    expect(missing.err[0]).toMatch(/^DISCORD_TOKEN must be set to deploy slash commands/);

    const unknown = capture();
    expect(await runDeployCommands(['--guild'], envFor(fake), unknown.io)).toBe(2);
    expect(unknown.err[0]).toMatch(/Unknown option '--guild'[\s\S]*\nusage:/);
    const help = capture();
    expect(await runDeployCommands(['--help'], envFor(fake), help.io)).toBe(0);
    expect(help.out[0]).toMatch(/^usage:/);
  });
});

describe('start-up comparison with the registered commands', () => {
  test('logs clearly which commands differ and how to fix it, without spending quota on a PUT', async () => {
    const h = await startHarness();
    try {
      expect(h.fake.requests.filter((r) => r.method === 'PUT')).toEqual([]);
      const warning = h.logs.find((l) => l.msg.startsWith('discord: registered slash commands differ'));
      expect(warning?.msg).toContain('npm run deploy-commands');
      expect(warning?.msg).toContain('DISCORD_SYNC_COMMANDS=true');
      expect(warning?.differences).toEqual(commands.map((c) => `/${c.name} is not registered`));
    } finally {
      await h.close();
    }
  });

  test('says nothing alarming when the registered set matches (after a deploy)', async () => {
    const h = await startHarness({
      beforeStart: async (fake) => {
        expect(await runDeployCommands([], envFor(fake), capture().io)).toBe(0);
      },
    });
    try {
      expect(h.fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
      expect(h.logs.some((l) => l.msg === 'discord: slash commands are up to date')).toBe(true);
      // The one warning: the fake's bot is in no server, so the invite URL is logged.
      expect(h.logs.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([
        'discord: the bot is in no server yet; open the invite URL (also printed by `npm run invite-url`) to add it',
      ]);
    } finally {
      await h.close();
    }
  });

  test('syncs with one PUT when DISCORD_SYNC_COMMANDS is set, to the guild route when a guild is configured', async () => {
    const guild = fakeGuild();
    const h = await startHarness({ config: { syncCommands: true, guildId: guild.id } });
    try {
      const route = `/applications/${h.fake.applicationId}/guilds/${guild.id}/commands`;
      expect(h.fake.requests.filter((r) => r.path === route).map((r) => r.method)).toEqual(['GET', 'PUT']);
      const put = h.fake.requests.find((r) => r.method === 'PUT');
      if (put) expectValidDeployPayload(put);
      expect(h.logs.find((l) => l.msg.startsWith('discord: slash commands synced'))).toMatchObject({
        target: `guild ${guild.id}`,
      });
    } finally {
      await h.close();
    }
  });

  test('a failing check is logged and does not stop the bot from serving', async () => {
    const h = await startHarness({
      beforeStart: (fake) =>
        fake.failNext('GET', /\/commands$/, {
          status: 403,
          body: { message: 'Missing Access', code: 50001 },
        }),
    });
    try {
      expect(
        h.logs.find((l) => l.msg.startsWith('discord: could not check the registered slash commands')),
      ).toMatchObject({
        err: { status: 403, code: 50001 },
      });
      const callback = await h.fake.interact(chatInput(h.fake, 'help'));
      expect(callback.body).toMatchObject({ type: 4 });
    } finally {
      await h.close();
    }
  });
});
