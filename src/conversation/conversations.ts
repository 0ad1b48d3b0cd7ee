import type { Suggestion } from '../core/reply.ts';
import type { ContextualReply, PreviousTurn, QaService } from '../core/service.ts';
import { type ContextBackend, ContextStore } from './context-store.ts';
import { CONVERSATION_DEFAULTS, type ConversationTuning } from './defaults.ts';

export interface ConversationOptions extends Partial<ConversationTuning> {
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly now?: () => number;
  /** Where context lives (default: this process, bounded and expiring). */
  readonly store?: ContextBackend<PreviousTurn>;
  /**
   * Told when the store fails (a shared store that is down). The message is still answered: a
   * failed read counts as no context, a failed write is dropped.
   */
  readonly onStoreError?: (error: unknown, operation: 'get' | 'set' | 'delete') => void;
}

/** The context a message is read against: none until something was asked. */
const asked = (context: PreviousTurn | undefined): PreviousTurn | undefined =>
  context?.question ? context : undefined;

/** Declines that still name a subject a follow-up can refer to. */
const SUBJECT_KEPT = new Set(['not-covered', 'article-silent']);

/**
 * Conversation context, shared by every platform: per conversation key, the last question as it
 * was understood, the entry that answered it and the entries already shown. Platform adapters only
 * decide what a conversation key is (a private chat, one user in a group channel...).
 */
export class Conversations {
  private readonly store: ContextBackend<PreviousTurn>;
  private readonly memory: ContextStore<PreviousTurn> | undefined;
  private readonly maxShown: number;
  private readonly onStoreError: (error: unknown, operation: 'get' | 'set' | 'delete') => void;
  /** The last turn in progress per conversation, so the next one starts after it. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly service: QaService,
    options: ConversationOptions = {},
  ) {
    const tuning = { ...CONVERSATION_DEFAULTS, ...options };
    this.maxShown = tuning.maxShown;
    this.onStoreError = options.onStoreError ?? (() => {});
    if (options.store) {
      this.store = options.store;
      this.memory = undefined;
    } else {
      const memory = new ContextStore<PreviousTurn>({
        ttlMs: tuning.contextTtlMs,
        maxEntries: tuning.maxConversations,
        now: options.now ?? Date.now,
      });
      this.memory = memory;
      this.store = memory;
    }
  }

  /**
   * Answers a message in its conversation, and remembers what the next message may refer to.
   * Messages of one conversation are answered one after another (each reads the context the one
   * before left); different conversations never wait for each other.
   */
  ask(key: string, message: string, resume?: PreviousTurn): Promise<ContextualReply> {
    // `resume`: the context of an older bot reply the message answers, instead of the latest.
    return this.queued(key, async () => {
      const previous = asked(resume ?? (await this.read(key)));
      return this.remember(key, previous, this.service.askInContext(message, previous));
    });
  }

  /** Answers the entry a reader picked (a button, a numbered suggestion), in the conversation. */
  choose(key: string, entryId: string): Promise<ContextualReply> {
    return this.queued(key, async () => {
      const stored = await this.read(key);
      const reply = this.service.answerEntry(entryId);
      // A stale button (its entry gone) says so, and leaves the conversation where it was.
      if (reply.kind !== 'answer') {
        const context = await this.offer(key, stored, reply.suggestions);
        return { reply, question: stored?.question ?? '', followUp: false, context };
      }
      return this.remember(key, asked(stored), { reply, question: reply.matchedQuestion, followUp: false });
    });
  }

  /** The suggestions the conversation's last reply offered, to pick one by its number. */
  async offered(key: string): Promise<readonly Suggestion[]> {
    return (await this.read(key))?.offered ?? [];
  }

  /**
   * Records what a reply the conversation layer gave outside a question (a command's, a note's)
   * offered, leaving the rest of the context as it was; resolves with the context now.
   */
  offers(key: string, suggestions: readonly Suggestion[]): Promise<PreviousTurn> {
    return this.queued(key, async () => this.offer(key, await this.read(key), suggestions));
  }

  private async offer(
    key: string,
    stored: PreviousTurn | undefined,
    suggestions: readonly Suggestion[],
  ): Promise<PreviousTurn> {
    const context = { ...(stored ?? { question: '' }), offered: suggestions };
    await this.write(key, context);
    return context;
  }

  private queued<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.pending.get(key) ?? Promise.resolve();
    const turn = before.then(work);
    const settled = turn.then(
      () => {},
      () => {},
    );
    this.pending.set(key, settled);
    void settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
    return turn;
  }

  /** Keeps what the next message may refer to, and hands the result back. */
  private async remember(
    key: string,
    previous: PreviousTurn | undefined,
    result: ContextualReply,
  ): Promise<ContextualReply> {
    const { reply } = result;
    let context = previous;
    if (reply.kind === 'answer') {
      const shown = [...(previous?.shown ?? []), ...reply.parts.map((p) => p.entryId)].slice(-this.maxShown);
      // "More" and "source" stay on the subject they were about, so "more" again goes on from it,
      // unless the follow-up moved the subject (more of another speaker's words).
      const entryId =
        result.subject ?? (result.intent && previous?.entryId ? previous.entryId : reply.entryId);
      context = { question: result.question, entryId, shown };
    } else if (reply.kind === 'clarify' || (reply.kind === 'decline' && SUBJECT_KEPT.has(reply.reason))) {
      // A question sets the subject even unanswered: "how old is he?" then "and kirby?" reads on.
      const { entryId: _answered, ...rest } = previous ?? { question: '' };
      context = { ...rest, question: result.question, shown: previous?.shown ?? [] };
    }
    // Smalltalk or a message with no question in it keeps the context, refreshed; whatever the
    // reply, its suggestions are what a number typed next picks from.
    const kept: PreviousTurn = { ...(context ?? { question: '' }), offered: reply.suggestions };
    await this.write(key, kept);
    return { ...result, context: kept };
  }

  /** The conversation's context now, if any (to remember it under a sent reply). */
  current(key: string): Promise<PreviousTurn | undefined> {
    return this.read(key);
  }

  private async read(key: string): Promise<PreviousTurn | undefined> {
    try {
      return await this.store.get(key);
    } catch (error) {
      this.onStoreError(error, 'get');
      return undefined;
    }
  }

  private async write(key: string, value: PreviousTurn): Promise<void> {
    try {
      await this.store.set(key, value);
    } catch (error) {
      this.onStoreError(error, 'set');
    }
  }

  /** Forgets a conversation (a user's "/forget", or a chat that was left). */
  async forget(key: string): Promise<void> {
    try {
      await this.store.delete(key);
    } catch (error) {
      this.onStoreError(error, 'delete');
    }
  }

  /** Conversations held in this process (0 when context lives in a shared store). */
  get size(): number {
    return this.memory?.size ?? 0;
  }
}
