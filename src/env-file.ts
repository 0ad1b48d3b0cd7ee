import { lstatSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * dotenv's parser, loaded when a `.env` file is there to parse: most runs have none (CI, containers
 * configured by their environment), and loading it costs about 6 ms of every start.
 */
const dotenvParse = (text: string): Record<string, string> =>
  (createRequire(import.meta.url)('dotenv') as typeof import('dotenv')).parse(text);

/**
 * Reads a `.env` file the way dotenv does, and says what dotenv would silently skip or change.
 * Values come from dotenv's own parser; this module only finds the lines behind them. Messages
 * name line numbers and variable names, never a value: a value may be a secret.
 */

export interface EnvFileAnalysis {
  readonly values: Readonly<Record<string, string>>;
  /** Where each name is set (the last line wins, as in dotenv). */
  readonly lines: ReadonlyMap<string, number>;
  /** Lines the bot would misread: start-up is refused. */
  readonly problems: readonly string[];
  /** Lines that have no effect but may be intended (names of other tools, repeats). */
  readonly warnings: readonly string[];
}

/** Thrown when the file exists but cannot be read; `reason` is a sentence for the user. */
export class EnvFileUnreadable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EnvFileUnreadable';
  }
}

/**
 * dotenv's line pattern (node_modules/dotenv, version 18.0.10: the regex of `parse` without the
 * `fast` option), used only to locate the lines dotenv reads; a test checks that it finds exactly
 * the names dotenv's `parse` returns. `^\s*` may start a match on an earlier blank line, and a
 * quoted value may span lines.
 */
const DOTENV_LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
const LEADING = /^\s*(?:export\s+)?/;
/** The start of an assignment on one line: name, separator, and the raw rest of the line. */
const ASSIGNMENT_START = /^\s*(?:export\s+)?[\w.-]+(?:\s*=|:\s)(.*)$/;
/** A name safe to print: letters, digits and _ only (tokens contain `:` or `.`). */
const PRINTABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Reads `path`; undefined when it does not exist and `required` is false. A directory, a file the
 * process may not read, or a missing required file throws EnvFileUnreadable.
 */
export function readEnvFileText(path: string, label: string, required: boolean): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required && !isLink(path)) return undefined;
    throw new EnvFileUnreadable(unreadableReason(label, code, isLink(path)));
  }
}

/** A symbolic link to a missing file is a file someone meant to provide, not an absent one. */
function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function unreadableReason(label: string, code: string | undefined, link: boolean): string {
  switch (code) {
    case 'EISDIR':
      return `${label} is a directory, not a file (a Docker bind mount of a missing file creates one): replace it with a file, or remove it`;
    case 'EACCES':
    case 'EPERM':
      return `${label} cannot be read: permission denied; let the user running the bot read it`;
    case 'ENOENT':
      return link ? `${label} is a link to a file that does not exist` : `${label} does not exist`;
    case 'ELOOP':
      return `${label} cannot be read: its symbolic links form a loop`;
    default:
      return `${label} cannot be read (${code ?? 'unknown error'})`;
  }
}

/**
 * Checks every line of a `.env` text against the names the bot reads (`known`), the names other
 * software in this process reads (`passThrough`, no warning) and the real `environment`, which
 * wins over the file as in dotenv.
 */
export function analyzeEnvText(
  text: string,
  known: ReadonlySet<string>,
  passThrough: ReadonlySet<string> = new Set(),
  environment: Readonly<Record<string, string | undefined>> = {},
): EnvFileAnalysis {
  // dotenv turns CRLF and bare CR into LF before parsing; so do we, so line numbers agree.
  const normalized = text.replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = normalized.indexOf('\n'); i !== -1; i = normalized.indexOf('\n', i + 1))
    lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? 0) <= offset) line++;
    return line; // 0-based
  };
  const rawLines = normalized.split('\n');

  const covered = new Set<number>();
  const lines = new Map<string, number>();
  const problems: Finding[] = [];
  const warnings: Finding[] = [];
  for (const match of normalized.matchAll(DOTENV_LINE)) {
    const name = match[1] ?? '';
    const start = match.index + (LEADING.exec(match[0])?.[0].length ?? 0);
    const first = lineOf(start);
    const last = lineOf(Math.max(start, match.index + match[0].length - 1));
    for (let line = first; line <= last; line++) covered.add(line);
    const lineNo = first + 1;

    const earlier = lines.get(name);
    if (earlier !== undefined) {
      warnings.push([earlier, `${describeName(name)} is set again on line ${lineNo}, which wins`]);
    }
    lines.set(name, lineNo);

    if (!known.has(name) && !passThrough.has(name)) {
      const meant = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
      if (meant) {
        problems.push([lineNo, `${name} is not read: names are case-sensitive, write ${meant}`]);
      } else {
        warnings.push([lineNo, `${describeName(name)} is not a setting of this bot (see .env.example)`]);
      }
    }
    const rest = ASSIGNMENT_START.exec(rawLines[first] ?? '')?.[1] ?? '';
    if (cutAtHash(rest)) {
      problems.push([
        lineNo,
        `${describeName(name)}: an unquoted # starts a comment, so the value would be cut there; put the value in quotes, e.g. ${PRINTABLE_NAME.test(name) ? name : 'NAME'}="..."`,
      ]);
    }
  }

  rawLines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || covered.has(index)) return;
    problems.push([
      index + 1,
      'not a NAME=value assignment, so it would be ignored (a value with # goes in quotes; # starts a comment)',
    ]);
  });

  const values = dotenvParse(text);
  for (const [name, value] of Object.entries(values)) {
    if (Object.hasOwn(environment, name) && environment[name] !== value) {
      warnings.push([
        lines.get(name) ?? 0,
        `${describeName(name)} is also set in the environment, to another value; the environment wins`,
      ]);
    }
  }
  return { values, lines, problems: byLine(problems), warnings: byLine(warnings) };
}

/**
 * True when dotenv would drop part of an unquoted value at a `#`: `abc#def` gives `abc`, `=#abc`
 * gives an empty value. A `#` after whitespace (`info  # comment`) is the usual trailing comment.
 */
function cutAtHash(rest: string): boolean {
  const value = rest.replace(/^[ \t]*/, '');
  if (/^['"`]/.test(value)) return false;
  const hash = value.indexOf('#');
  if (hash === -1) return false;
  return hash === 0 ? rest.length === value.length : !/\s/.test(value[hash - 1] ?? '');
}

/** A line number and what is wrong there. */
type Finding = [line: number, text: string];

function byLine(findings: Finding[]): string[] {
  return findings.sort((a, b) => a[0] - b[0]).map(([line, text]) => `line ${line}: ${text}`);
}

function describeName(name: string): string {
  return PRINTABLE_NAME.test(name) ? name : 'a name with unusual characters';
}
