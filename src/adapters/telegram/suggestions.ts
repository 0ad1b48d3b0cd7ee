import { createHash } from 'node:crypto';

/**
 * Telegram's callback_data holds at most 64 bytes, too little for a question. Buttons carry a
 * short content hash instead, and this map turns it back into the question. Knowledge-base
 * questions are registered at start-up, so their buttons keep working across restarts (the
 * hash depends only on the text); other suggestions are remembered in a bounded LRU.
 */
export function shortId(text: string): string {
  // 60 bits: collisions among a few thousand questions are out of the question.
  return createHash('sha256').update(text).digest('base64url').slice(0, 10);
}

export class SuggestionIds {
  readonly #permanent = new Map<string, string>();
  /** text → id for the permanent questions, so the common case hashes nothing per reply. */
  readonly #permanentIds = new Map<string, string>();
  readonly #recent = new Map<string, string>();

  constructor(
    permanent: Iterable<string>,
    private readonly capacity: number,
  ) {
    for (const text of permanent) {
      const id = shortId(text);
      this.#permanent.set(id, text);
      this.#permanentIds.set(text, id);
    }
  }

  idFor(text: string): string {
    const known = this.#permanentIds.get(text);
    if (known !== undefined) return known;
    const id = shortId(text);
    // Re-insert so the Map's insertion order doubles as recency order.
    this.#recent.delete(id);
    this.#recent.set(id, text);
    if (this.#recent.size > this.capacity) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
    return id;
  }

  textFor(id: string): string | undefined {
    return this.#permanent.get(id) ?? this.#recent.get(id);
  }
}

/** Callback data: "q:<id>" asks a follow-up; "c:<id>" picks a "did you mean" choice. */
export type ButtonAction = { readonly kind: 'ask' | 'choose'; readonly id: string };

const PREFIX = { ask: 'q', choose: 'c' } as const;

export function encodeButton(action: ButtonAction): string {
  return `${PREFIX[action.kind]}:${action.id}`;
}

export function decodeButton(data: string): ButtonAction | undefined {
  const match = /^([qc]):([A-Za-z0-9_-]{1,60})$/.exec(data);
  if (!match?.[2]) return undefined;
  return { kind: match[1] === 'c' ? 'choose' : 'ask', id: match[2] };
}
