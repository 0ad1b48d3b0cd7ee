import { createHmac } from 'node:crypto';
import type { ConversationKey, UserKey } from './types.ts';

/**
 * Turns platform ids into stable pseudonyms: HMAC-SHA256 under the analytics secret, base64url.
 * The platform and the kind of id are part of the message, so Telegram user 42, Discord user 42
 * and conversation 42 get unrelated keys. The raw id is never stored.
 */
export class Pseudonyms {
  readonly #secret: Buffer;
  // Readers ask several questions in a row: recent keys are kept (in memory only, bounded), so a
  // message costs a map lookup instead of two HMACs.
  readonly #recent = new Map<string, string>();

  constructor(
    secret: string | Buffer,
    private readonly cacheSize = 10_000,
  ) {
    this.#secret = Buffer.from(secret);
  }

  user(platform: string, userId: string): UserKey {
    return this.#hash('user', platform, userId) as UserKey;
  }

  conversation(platform: string, conversationId: string): ConversationKey {
    return this.#hash('conversation', platform, conversationId) as ConversationKey;
  }

  #hash(kind: string, platform: string, id: string): string {
    const message = `${kind}\0${platform}\0${id}`;
    const known = this.#recent.get(message);
    if (known !== undefined) return known;
    const key = createHmac('sha256', this.#secret).update(message).digest('base64url');
    if (this.#recent.size >= this.cacheSize) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
    this.#recent.set(message, key);
    return key;
  }
}
