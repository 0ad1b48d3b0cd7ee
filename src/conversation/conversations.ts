import type { ContextualReply, PreviousTurn, QaService } from '../core/service.ts';
import { ContextStore } from './context-store.ts';
import { CONVERSATION_DEFAULTS, type ConversationTuning } from './defaults.ts';

export interface ConversationOptions extends Partial<ConversationTuning> {
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly now?: () => number;
}

/** Declines that still name a subject a follow-up can refer to. */
const SUBJECT_KEPT = new Set(['not-covered', 'article-silent']);

/**
 * Conversation context, shared by every platform: per conversation key, the last question as it
 * was understood, the entry that answered it and the entries already shown. Platform adapters only
 * decide what a conversation key is (a private chat, one user in a group channel...).
 */
export class Conversations {
  private readonly store: ContextStore<PreviousTurn>;
  private readonly maxShown: number;

  constructor(
    private readonly service: QaService,
    options: ConversationOptions = {},
  ) {
    const tuning = { ...CONVERSATION_DEFAULTS, ...options };
    this.maxShown = tuning.maxShown;
    this.store = new ContextStore({
      ttlMs: tuning.contextTtlMs,
      maxEntries: tuning.maxConversations,
      now: options.now ?? Date.now,
    });
  }

  /** Answers a message in its conversation, and remembers what the next message may refer to. */
  ask(key: string, message: string): ContextualReply {
    const previous = this.store.get(key);
    const result = this.service.askInContext(message, previous);
    const { reply } = result;
    if (reply.kind === 'answer') {
      const shown = [...(previous?.shown ?? []), ...reply.parts.map((p) => p.entryId)].slice(-this.maxShown);
      // "More" and "source" stay on the subject they were about, so "more" again goes on from it.
      const entryId = result.intent && previous?.entryId ? previous.entryId : reply.entryId;
      this.store.set(key, { question: result.question, entryId, shown });
    } else if (reply.kind === 'clarify' || (reply.kind === 'decline' && SUBJECT_KEPT.has(reply.reason))) {
      // A question sets the subject even unanswered: "how old is he?" then "and kirby?" reads on.
      const { entryId: _answered, ...rest } = previous ?? { question: '' };
      this.store.set(key, { ...rest, question: result.question, shown: previous?.shown ?? [] });
    } else if (previous) {
      // Smalltalk or a message with no question in it keeps the context, refreshed.
      this.store.set(key, previous);
    }
    return result;
  }

  /** Forgets a conversation (a user's "/forget", or a chat that was left). */
  forget(key: string): void {
    this.store.delete(key);
  }

  get size(): number {
    return this.store.size;
  }
}
