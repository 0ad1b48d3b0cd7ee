import type { Redis } from 'ioredis';
import type { ContextBackend } from '../conversation/context-store.ts';
import { CONVERSATION_DEFAULTS } from '../conversation/defaults.ts';
import { RateLimiter } from '../conversation/rate-limit.ts';
import type { PreviousTurn } from '../core/service.ts';
import { connectRedis } from './redis-client.ts';
import { RedisContextStore } from './redis-context-store.ts';
import { RedisSeenIds, type SeenIds } from './seen-ids.ts';

/** What the platforms of one process share, here or (with REDIS_URL) with every other process. */
export interface SharedState {
  /** Conversation context and each sent reply's context; undefined keeps them in this process. */
  readonly contexts?: {
    readonly store: ContextBackend<PreviousTurn>;
    readonly replies: ContextBackend<PreviousTurn>;
  };
  readonly limiter: RateLimiter;
  /**
   * Telegram update ids already answered by any process, so an update redelivered to another one is
   * answered once. Only with Redis: in one process the webhook's own memory of update ids does it.
   */
  readonly seenIds?: SeenIds;
  close(): void;
}

export interface SharedStateOptions {
  readonly redisUrl?: string;
  /** Namespace of every key (REDIS_KEY_PREFIX), so two bots on one Redis never share state. */
  readonly keyPrefix?: string;
  readonly rateLimitPerMinute: number;
  readonly onError: (error: Error) => void;
}

/** How long Redis remembers an update id: longer than Telegram keeps an unconfirmed update. */
const SEEN_IDS_TTL_MS = 24 * 3_600_000;

/**
 * Opens the shared state: in memory by default; in Redis when `redisUrl` is set, after checking
 * that Redis answers (a wrong URL fails at start-up, not on the first message).
 */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const limit = { points: options.rateLimitPerMinute, windowMs: 60_000 };
  if (!options.redisUrl) {
    return { limiter: new RateLimiter(limit), close: () => {} };
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
    seenIds: new RedisSeenIds(client, { keyPrefix: `${ns}seen:`, ttlMs: SEEN_IDS_TTL_MS }),
    close: () => client.disconnect(),
  };
}
