import type { Redis } from 'ioredis';
import type { ContextBackend } from '../conversation/context-store.ts';
import { CONVERSATION_DEFAULTS } from '../conversation/defaults.ts';
import { RateLimiter } from '../conversation/rate-limit.ts';
import type { PreviousTurn } from '../core/service.ts';
import { connectRedis } from './redis-client.ts';
import { RedisContextStore } from './redis-context-store.ts';
import { MemorySeenIds, RedisSeenIds, type SeenIds } from './seen-ids.ts';

/** What the platforms of one process share, here or (with REDIS_URL) with every other process. */
export interface SharedState {
  /** Conversation context and each sent reply's context; undefined keeps them in this process. */
  readonly contexts?: {
    readonly store: ContextBackend<PreviousTurn>;
    readonly replies: ContextBackend<PreviousTurn>;
  };
  readonly limiter: RateLimiter;
  /** Telegram update ids already answered, so a redelivered update is answered once. */
  readonly seenIds: SeenIds;
  close(): void;
}

export interface SharedStateOptions {
  readonly redisUrl?: string;
  /** Namespace of every key (REDIS_KEY_PREFIX), so two bots on one Redis never share state. */
  readonly keyPrefix?: string;
  readonly rateLimitPerMinute: number;
  readonly onError: (error: Error) => void;
}

/** Update ids remembered in memory, and for how long in Redis (Telegram redelivers within minutes). */
const SEEN_IDS = { capacity: 10_000, ttlMs: 24 * 3_600_000 } as const;

/**
 * Opens the shared state: in memory by default; in Redis when `redisUrl` is set, after checking
 * that Redis answers (a wrong URL fails at start-up, not on the first message).
 */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const limit = { points: options.rateLimitPerMinute, windowMs: 60_000 };
  if (!options.redisUrl) {
    return {
      limiter: new RateLimiter(limit),
      seenIds: new MemorySeenIds(SEEN_IDS.capacity),
      close: () => {},
    };
  }
  const client: Redis = await connectRedis(options.redisUrl, { onError: options.onError });
  const ttlMs = CONVERSATION_DEFAULTS.contextTtlMs;
  const ns = options.keyPrefix ?? 'article-qa:';
  return {
    contexts: {
      store: new RedisContextStore<PreviousTurn>(client, { keyPrefix: `${ns}ctx:`, ttlMs }),
      replies: new RedisContextStore<PreviousTurn>(client, { keyPrefix: `${ns}reply:`, ttlMs }),
    },
    limiter: new RateLimiter({ ...limit, keyPrefix: `${ns}rate`, redis: client }),
    seenIds: new RedisSeenIds(client, { keyPrefix: `${ns}seen:`, ttlMs: SEEN_IDS.ttlMs }),
    close: () => client.disconnect(),
  };
}
