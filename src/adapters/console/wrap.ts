import { CONSOLE_DEFAULTS } from './defaults.ts';

/**
 * What starts a line and sets where its continuation lines begin: the leading spaces plus a marker
 * ("bot> ", a quote's `> "`, a list's "- " or "2. ", an attribution's "("), so the words of a quote
 * or a list item stay in one column when the line is wrapped.
 */
const HANGING = /^(\s*)(\S*> "?|[-*] |\d{1,3}\. |\()?/;

/**
 * Wraps each line to `width` columns at spaces; a continuation line is indented as far as the text
 * of its first line. A word longer than the width (a URL) stays whole on its own line, as breaking
 * it would break it for copying too. Lines that fit are left exactly as they are.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  if (line.length <= width) return line;
  const head = HANGING.exec(line)?.[0] ?? '';
  const indent = width - head.length >= CONSOLE_DEFAULTS.minTextWidth ? ' '.repeat(head.length) : '';
  const lines: string[] = [];
  let current = head;
  let hasWord = false;
  for (const word of line.slice(head.length).split(' ')) {
    if (!word) continue;
    if (hasWord && current.length + 1 + word.length > width) {
      lines.push(current);
      current = indent + word;
    } else {
      current += hasWord ? ` ${word}` : word;
    }
    hasWord = true;
  }
  lines.push(current);
  return lines.join('\n');
}
