import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { runConsoleChat } from '../../src/adapters/console/chat.ts';
import { CONSOLE_TEXTS } from '../../src/adapters/console/texts.ts';
import { loadKnowledge } from '../../src/core/knowledge.ts';
import { createQaService } from '../../src/core/service.ts';
import { failingCommand } from '../helpers/commands.ts';

const service = createQaService(loadKnowledge());

async function session(lines: readonly string[], list = commands): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  const done = runConsoleChat({ service, commands: list, input, output, interactive: false });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}

describe('the console chat is one conversation', () => {
  it('answers a follow-up in the context of the question before', async () => {
    const text = await session(['who is kirby', 'source?']);
    const kirby = text.indexOf('John Kirby is');
    expect(kirby).toBeGreaterThanOrEqual(0);
    // "source?" shows the quotes of the answer before, with the publisher.
    expect(text.indexOf(service.article.publisher, kirby)).toBeGreaterThan(kirby);
  });

  it('keeps what a follow-up refers to across lines', async () => {
    const text = await session(['who is kirby', 'what did he say about biden']);
    expect(text.indexOf('seriousness about negotiations')).toBeGreaterThan(text.indexOf('John Kirby is'));
  });

  it('a failing line gets an apology, and the lines after it are still answered', async () => {
    const text = await session(['/boom', 'how many years in prison'], [...commands, failingCommand]);
    expect(text).toContain(CONSOLE_TEXTS.failure);
    expect(text).toMatch(/15 years in prison/);
  });
});
