import { expect, test } from 'vitest';
import { Cooldown } from '../../../src/adapters/discord/cooldown.ts';

test('allows `limit` questions per minute per user, then refuses with the wait, noting only once', () => {
  let now = 1_000_000;
  const cooldown = new Cooldown({ limit: 2, now: () => now });
  expect(cooldown.take('a')).toEqual({ ok: true });
  expect(cooldown.take('a')).toEqual({ ok: true });
  expect(cooldown.take('b')).toEqual({ ok: true });
  now += 15_000;
  expect(cooldown.take('a')).toEqual({ ok: false, retryAfterMs: 45_000, firstRefusal: true });
  expect(cooldown.take('a')).toEqual({ ok: false, retryAfterMs: 45_000, firstRefusal: false });
  now += 45_000;
  expect(cooldown.take('a')).toEqual({ ok: true });
});

test('memory stays bounded: expired windows are swept and the oldest evicted at the cap', () => {
  let now = 0;
  const cooldown = new Cooldown({ limit: 1, maxUsers: 100, now: () => now });
  for (let i = 0; i < 1_000; i++) cooldown.take(`user${i}`);
  expect(cooldown.size).toBeLessThanOrEqual(100);
  now += 60_000;
  cooldown.take('late');
  expect(cooldown.size).toBe(1);
});
