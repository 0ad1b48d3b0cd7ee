export interface ConversationTuning {
  readonly contextTtlMs: number;
  readonly maxConversations: number;
  readonly maxShown: number;
}

/** Tuning of the conversation layer; `Conversations` accepts overrides (tests shorten them). */
export const CONVERSATION_DEFAULTS: ConversationTuning = Object.freeze({
  /** A conversation idle this long starts afresh: the next message is read on its own. */
  contextTtlMs: 30 * 60_000,
  /** Conversations remembered at once; the least recently active is forgotten first. */
  maxConversations: 10_000,
  /** Entries remembered as shown, for "tell me more". */
  maxShown: 20,
});
