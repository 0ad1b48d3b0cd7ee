import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger.ts';
import { AnalyticsDatabaseError } from './database.ts';

/** The file beside a SQLite database that keeps its generated secret. */
export const secretPathFor = (databasePath: string) => `${databasePath}.secret`;

/**
 * The secret of the pseudonyms when ANALYTICS_SECRET is unset (SQLite only): 32 random bytes
 * made once and kept in a file only the owner may read, so user keys stay the same across
 * restarts. The file is written under another name and linked into place, so two processes
 * starting together agree on one secret and never read a half-written file.
 */
export function loadOrCreateSecret(path: string, logger?: Logger): string {
  const existing = readSecret(path, logger);
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  const secret = readSecret(path, logger);
  if (!secret) throw new AnalyticsDatabaseError(`the analytics secret file ${path} is empty`);
  return secret;
}

function readSecret(path: string, logger?: Logger): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AnalyticsDatabaseError(
      `cannot read the analytics secret file ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    logger?.warn({ file: path }, 'analytics: the secret file is readable by others; chmod 600 it');
  }
  const secret = text.trim();
  return secret === '' ? undefined : secret;
}
