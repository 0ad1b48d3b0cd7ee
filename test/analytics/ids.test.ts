import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_ID_LENGTH, isEventId, newEventId } from '../../src/analytics/event-id.ts';
import { Pseudonyms } from '../../src/analytics/pseudonyms.ts';
import { loadOrCreateSecret } from '../../src/analytics/secret.ts';

describe('event ids', () => {
  it('are 20 characters, sortable by time, unique, and fit a Telegram callback with a prefix', () => {
    const t = Date.UTC(2026, 11, 1);
    const ids = Array.from({ length: 1_000 }, () => newEventId(t));
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) {
      expect(id).toHaveLength(EVENT_ID_LENGTH);
      expect(isEventId(id)).toBe(true);
      expect(Buffer.byteLength(`fb:down:${id}`)).toBeLessThanOrEqual(64);
    }
    expect(newEventId(t) < newEventId(t + 1)).toBe(true);
    expect(newEventId(t + 1_000) > newEventId(t + 999)).toBe(true);
    for (const bad of [
      '',
      'X'.repeat(20),
      'x y'.repeat(7).slice(0, 20),
      `${ids[0]}x`,
      'ABCDEFGHIaaaaaaaaaaa',
      'fb:down:0mwoxfuo0zLe',
    ]) {
      expect(isEventId(bad)).toBe(false);
    }
  });
});

describe('pseudonyms', () => {
  it('are stable per secret, differ across secrets, platforms and kinds, and do not contain the id', () => {
    const a = new Pseudonyms('first-secret-0123456789');
    const b = new Pseudonyms('other-secret-0123456789');
    expect(a.user('telegram', '123456789')).toBe(a.user('telegram', '123456789'));
    expect(a.user('telegram', '123456789')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.user('telegram', '123456789')).not.toBe(b.user('telegram', '123456789'));
    expect(a.user('telegram', '1')).not.toBe(a.user('discord', '1'));
    expect(a.user('telegram', '1')).not.toBe(a.conversation('telegram', '1'));
    expect(a.user('telegram', '123456789')).not.toContain('123456789');
  });
});

describe('the generated secret beside a SQLite database', () => {
  it('is made once, readable by the owner only, and read back on the next start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'analytics-secret-'));
    try {
      const file = join(dir, 'nested', 'analytics.sqlite.secret');
      const first = loadOrCreateSecret(file);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(loadOrCreateSecret(file)).toBe(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
