import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { runConsoleChat } from '../../../src/adapters/console/chat.ts';
import { CONSOLE_TEXTS } from '../../../src/adapters/console/texts.ts';
import { wrapText } from '../../../src/adapters/console/wrap.ts';
import { loadKnowledge } from '../../../src/core/knowledge.ts';
import { createQaService } from '../../../src/core/service.ts';
import { TEXTS } from '../../../src/core/texts.ts';
import { screenOf } from '../../helpers/terminal.ts';

/**
 * The console as a person at a terminal uses it: node's readline in terminal mode (line editing,
 * history), fed the bytes a terminal sends (Enter is "\r", the up arrow ESC [ A, Ctrl+C "\x03"),
 * with a fixed width. What it prints is read back as the screen shows it (escape sequences dropped).
 */

const service = createQaService(loadKnowledge());
const UP = '\x1b[A';
const ENTER = '\r';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

function terminalSession(width: number, interactive = true) {
  const input = new PassThrough();
  const output = new PassThrough();
  let raw = '';
  const waiters: (() => void)[] = [];
  output.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    for (const check of waiters.splice(0)) check();
  });
  const done = runConsoleChat({
    service,
    commands,
    input,
    output,
    interactive,
    terminal: interactive,
    width: () => width,
  });
  const replies = () => screenOf(raw).split(CONSOLE_TEXTS.replyPrefix).length - 1;
  /** Resolves once `count` replies are on the screen and the prompt after the last one is back. */
  const repliesShown = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (replies() >= count && screenOf(raw).trimEnd().endsWith(CONSOLE_TEXTS.prompt.trimEnd())) resolve();
        else waiters.push(check);
      };
      check();
    });
  return { input, done, screen: () => screenOf(raw), repliesShown };
}

/** The reply blocks on the screen, each from "bot> " to the blank line before the next prompt. */
const repliesOn = (screen: string) =>
  screen
    .split(CONSOLE_TEXTS.replyPrefix)
    .slice(1)
    .map((block) => `${CONSOLE_TEXTS.replyPrefix}${block.split(`\n\n${CONSOLE_TEXTS.prompt}`)[0]}`.trimEnd());

describe('the console in a terminal', () => {
  it('the up arrow brings back the question before, and Enter asks it again', async () => {
    const chat = terminalSession(80);
    chat.input.write(`who is kirby${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(`${UP}${ENTER}`);
    await chat.repliesShown(2);
    chat.input.write(CTRL_D);
    expect(await chat.done).toBe(2);
    const [first, second] = repliesOn(chat.screen());
    expect(first).toContain('John Kirby is');
    expect(second).toBe(first);
    // The recalled line is on the screen after the second prompt, as typed.
    expect(chat.screen().split(`${CONSOLE_TEXTS.prompt}who is kirby`).length - 1).toBeGreaterThanOrEqual(2);
  });

  it('wraps replies at the width at word boundaries, and a quote continues under its own text', async () => {
    const width = 44;
    const chat = terminalSession(width);
    chat.input.write(`how many years in prison?${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(CTRL_D);
    await chat.done;
    const [reply = ''] = repliesOn(chat.screen());
    const lines = reply.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
    // Every word of the answer is there, in order: wrapping only moved line breaks.
    const answer = (lines.join('\n').split('\n\n')[0] ?? '').replace(/^bot> /, '');
    expect(answer.split(/\s+/).join(' ')).toMatch(/^Russia passed a law .* 15 years in prison\.$/);
    // The answer's continuation lines sit under its first word, the quote's under the quote's text.
    const quoteStart = lines.findIndex((line) => line.startsWith('  > '));
    expect(quoteStart).toBeGreaterThan(1);
    expect(lines.slice(1, quoteStart - 1).every((line) => line.startsWith('     ') && line[5] !== ' ')).toBe(
      true,
    );
    const quoteLines = lines.slice(
      quoteStart + 1,
      lines.findIndex((line, i) => i > quoteStart && line.startsWith('    — ')),
    );
    expect(quoteLines.length).toBeGreaterThan(0);
    expect(quoteLines.every((line) => /^ {4}\S/.test(line))).toBe(true);
  });

  it('Ctrl+C says goodbye as Ctrl+D does, even with a half-typed line, and ends the chat', async () => {
    for (const key of [CTRL_C, CTRL_D]) {
      const chat = terminalSession(80);
      chat.input.write(`who is kirby${ENTER}`);
      await chat.repliesShown(1);
      chat.input.write(key === CTRL_C ? `and wh${CTRL_C}` : CTRL_D);
      expect(await chat.done).toBe(1);
      expect(chat.screen().endsWith(`\n${CONSOLE_TEXTS.goodbye}\n`)).toBe(true);
    }
  });

  it('help in a terminal says how to pick a numbered question and how to quit; a pipe gets the help as before', async () => {
    const chat = terminalSession(200);
    chat.input.write(`/help${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(CTRL_D);
    await chat.done;
    const [help = ''] = repliesOn(chat.screen());
    expect(help).toContain('- /quote [speaker] [topic]: ');
    expect(help).toContain(CONSOLE_TEXTS.helpNote);
    // The note sits between the command list and the numbered questions it speaks of.
    expect(help.indexOf(CONSOLE_TEXTS.helpNote)).toBeGreaterThan(help.indexOf('- /help'));
    expect(help.indexOf('  1. ')).toBeGreaterThan(help.indexOf(CONSOLE_TEXTS.helpNote));

    const input = new PassThrough();
    const output = new PassThrough();
    let piped = '';
    output.on('data', (chunk: Buffer) => {
      piped += chunk.toString('utf8');
    });
    const done = runConsoleChat({ service, commands, input, output, interactive: false });
    input.end('/help\n');
    await done;
    expect(piped).toContain('- /quote [speaker] [topic]: ');
    expect(piped).not.toContain(CONSOLE_TEXTS.helpNote);
    expect(piped.startsWith(TEXTS.helpTitle)).toBe(true); // no banner, no prompt, no prefix
  });

  it('/topics speaks of picking a question, not tapping one', async () => {
    const chat = terminalSession(80);
    chat.input.write(`/topics${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(CTRL_D);
    await chat.done;
    const [topics = ''] = repliesOn(chat.screen());
    expect(topics).toContain(TEXTS.topicsFooter);
    expect(topics).not.toMatch(/\btap\b/i);
    expect(topics).toMatch(/\n {2}1\. /);
  });

  it('the banner shows the command syntax and how to quit, wrapped like the replies', async () => {
    const chat = terminalSession(60);
    chat.input.write(CTRL_D);
    await chat.done;
    const bannerText = chat.screen().split(CONSOLE_TEXTS.prompt)[0] ?? '';
    for (const line of bannerText.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    const flat = bannerText.split(/\s+/).join(' ');
    expect(flat).toMatch(
      /a number to pick a suggestion, or \/quote \S+, \/topics, \/about, \/help\. Ctrl\+C or Ctrl\+D quits\./,
    );
  });

  it('Enter on an empty line only asks again', async () => {
    const chat = terminalSession(80);
    chat.input.write(`${ENTER}${ENTER}who is kirby${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(CTRL_D);
    expect(await chat.done).toBe(1);
    expect(chat.screen()).not.toContain('empty message');
  });
});

describe("the README's sample", () => {
  it('is what the console prints in an 80-column terminal, from the banner to the goodbye', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const sample = [...readme.matchAll(/```\n([\s\S]*?)```/g)]
      .map((block) => block[1] ?? '')
      .find((block) => block.includes(`\n${CONSOLE_TEXTS.prompt}`));
    const question = /\nyou> (.+)\n/.exec(sample ?? '')?.[1] ?? '';
    expect(question).not.toBe('');
    const chat = terminalSession(80);
    chat.input.write(`${question}${ENTER}`);
    await chat.repliesShown(1);
    chat.input.write(CTRL_D);
    await chat.done;
    // Trailing spaces aside (the prompt's), which editors strip from the README.
    const lines = (text: string) =>
      text
        .trimEnd()
        .split('\n')
        .map((line) => line.trimEnd());
    // On failure: run `npm start` in an 80-column terminal, ask the question, Ctrl+D, and paste the screen.
    expect(lines(chat.screen())).toEqual(lines(sample ?? ''));
  });
});

describe('wrapText', () => {
  it.each([
    ['a line that fits stays as it is', 'bot> short', 20, 'bot> short'],
    [
      'breaks at spaces, continuation under the text',
      'bot> alpha beta gamma delta epsilon zeta eta theta',
      30,
      'bot> alpha beta gamma delta\n     epsilon zeta eta theta',
    ],
    [
      'a list item continues under its text',
      '  12. alpha beta gamma delta epsilon zeta',
      28,
      '  12. alpha beta gamma delta\n      epsilon zeta',
    ],
    [
      'a word longer than the width stays whole',
      'see https://example.invalid/a/very/long/path ok',
      20,
      'see\nhttps://example.invalid/a/very/long/path\nok',
    ],
    [
      'too narrow for the indent: continuation starts at the margin',
      '          > "one two three four five"',
      30,
      '          > "one two three\nfour five"',
    ],
  ])('%s', (_name, text, width, expected) => {
    expect(wrapText(text, width)).toBe(expected);
  });
});
