import type { APIApplicationCommand } from 'discord.js';
import { describe, expect, test } from 'vitest';
import { commands } from '../../../commands/index.ts';
import type { Command } from '../../../commands/types.ts';
import {
  type CommandJson,
  diffApplicationCommands,
  toApplicationCommands,
  validateApplicationCommands,
} from '../../../src/adapters/discord/command-json.ts';
import { DISCORD_LIMITS as L } from '../../../src/adapters/discord/limits.ts';

const reply = { kind: 'smalltalk', text: 'ok', suggestions: [] } as const;
const command = (overrides: Partial<Command>): Command => ({
  name: 'ok',
  description: 'A command',
  options: [],
  parseText: () => ({}),
  run: () => reply,
  ...overrides,
});

describe('toApplicationCommands', () => {
  test('the real commands become valid slash commands, /ask with autocomplete and a private flag', () => {
    const json = toApplicationCommands(commands);
    expect(validateApplicationCommands(json)).toEqual([]);
    expect(json.map((c) => c.name)).toEqual(['ask', 'quote', 'topics', 'about', 'forget', 'help']);
    expect(json[0]).toEqual({
      type: 1,
      name: 'ask',
      description: 'Ask a question about the article',
      options: [
        {
          type: 3,
          name: 'question',
          description: 'Your question, in your own words',
          required: true,
          max_length: 1000,
          autocomplete: true,
        },
        { type: 5, name: 'private', description: 'Only you see the answer', required: false },
      ],
      contexts: [0, 1],
      integration_types: [0],
    });
    const quote = json[1]?.options ?? [];
    expect(
      quote.map((o) => [o.name, 'choices' in o && o.choices?.length, 'autocomplete' in o && o.autocomplete]),
    ).toEqual([
      ['speaker', false, true],
      ['topic', false, true],
      ['private', false, false],
    ]);
  });

  test('every command and option is within Discord limits (names, descriptions, counts)', () => {
    for (const c of toApplicationCommands(commands)) {
      expect(c.name).toMatch(L.commandName);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(L.commandDescription);
      expect(c.options?.length ?? 0).toBeLessThanOrEqual(L.commandOptions);
      for (const o of c.options ?? []) {
        expect(o.name).toMatch(L.commandName);
        expect(o.description.length).toBeLessThanOrEqual(L.commandDescription);
        const choices = 'choices' in o ? (o.choices ?? []) : [];
        expect(choices.length).toBeLessThanOrEqual(L.optionChoices);
        for (const choice of choices) {
          expect(choice.name.length).toBeLessThanOrEqual(L.choiceName);
          expect(String(choice.value).length).toBeLessThanOrEqual(L.choiceValue);
        }
      }
    }
  });

  test('guild commands carry no contexts or integration types (Discord rejects them there)', () => {
    const [ask] = toApplicationCommands(commands, { guildId: '123456789012345678' });
    expect(ask).not.toHaveProperty('contexts');
    expect(ask).not.toHaveProperty('integration_types');
  });
});

describe('validateApplicationCommands', () => {
  const many = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` }));
  const cases: [string, Command[], RegExp][] = [
    ['upper-case name', [command({ name: 'Ask' })], /\/Ask name: s\.string\(\)\.regex\(\)/],
    ['name over 32', [command({ name: 'a'.repeat(33) })], /name: .*expected\.length <= 32/],
    ['empty description', [command({ description: '' })], /description: .*expected\.length >= 1/],
    [
      'description over 100',
      [command({ description: 'd'.repeat(101) })],
      /description: .*expected\.length <= 100/,
    ],
    ['duplicate command', [command({}), command({})], /\/ok: defined twice/],
    [
      '26 options',
      [
        command({
          options: Array.from({ length: 26 }, (_, i) => ({
            type: 'boolean',
            name: `o${i}`,
            description: 'x',
          })),
        }),
      ],
      /\/ok options: s\.array\(T\)\.lengthLessThanOrEqual\(\): expected\.length <= 25/,
    ],
    [
      '26 choices',
      [command({ options: [{ type: 'string', name: 's', description: 'x', choices: many }] })],
      /option "s": .*expected <= 25, given 26/,
    ],
    [
      'choice name over 100',
      [
        command({
          options: [
            { type: 'string', name: 's', description: 'x', choices: [{ name: 'n'.repeat(101), value: 'v' }] },
          ],
        }),
      ],
      /option "s": 0\.name: .*expected\.length <= 100/,
    ],
    [
      'choice value over 100',
      [
        command({
          options: [
            { type: 'string', name: 's', description: 'x', choices: [{ name: 'n', value: 'v'.repeat(101) }] },
          ],
        }),
      ],
      /option "s": 0\.value: .*expected\.length <= 100/,
    ],
    [
      'required after optional',
      [
        command({
          options: [
            { type: 'boolean', name: 'a', description: 'x' },
            { type: 'string', name: 'b', description: 'x', required: true },
          ],
        }),
      ],
      /option "b": required options must come before optional ones/,
    ],
    [
      'choices and autocomplete',
      [
        command({
          options: [
            {
              type: 'string',
              name: 's',
              description: 'x',
              choices: [{ name: 'a', value: 'a' }],
              complete: () => [],
            },
          ],
        }),
      ],
      /option "s": Autocomplete and choices are mutually exclusive/,
    ],
    ['101 commands', Array.from({ length: 101 }, (_, i) => command({ name: `c${i}` })), /101 commands/],
  ];
  test.each(cases)('%s is reported', (_label, list, problem) => {
    const problems = validateApplicationCommands(toApplicationCommands(list));
    expect(
      problems.some((p) => problem.test(p)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('diffApplicationCommands', () => {
  const local = toApplicationCommands(commands);
  // What Discord answers: our fields plus its own, defaults omitted (required: false is dropped).
  const registered = (json: readonly CommandJson[]): APIApplicationCommand[] =>
    json.map((c, i) => ({
      ...c,
      id: String(1e17 + i),
      application_id: '1',
      version: '1',
      default_member_permissions: null,
      type: 1,
      options: (c.options ?? []).map((o) => {
        const { required, ...rest } = o;
        return required ? o : rest;
      }),
    })) as APIApplicationCommand[];

  test('in sync when Discord has the same commands (defaults and ids ignored)', () => {
    expect(diffApplicationCommands(local, registered(local))).toEqual([]);
  });

  test('names missing, extra and changed commands', () => {
    const remote = registered([
      ...local.slice(1, 3).map((c) => ({ ...c, description: `${c.description}!` })),
      ...local.slice(3),
      { type: 1, name: 'old', description: 'gone' },
    ] as CommandJson[]);
    expect(diffApplicationCommands(local, remote)).toEqual([
      '/ask is not registered',
      '/quote differs from the registered version',
      '/topics differs from the registered version',
      '/old is registered but no longer exists',
    ]);
  });
});
