import type { Reply } from '../core/reply.ts';

/** A pseudonymous user: HMAC-SHA256 of the platform's user id. Only `Pseudonyms` makes one. */
export type UserKey = string & { readonly __pseudonym: 'user' };
/** A pseudonymous conversation (chat, or user in a group channel), made the same way. */
export type ConversationKey = string & { readonly __pseudonym: 'conversation' };

export type ReplyKind = Reply['kind'];
export type VoteValue = 1 | -1;

/** One question as the conversation layer saw it; ids are pseudonyms already. */
export interface QuestionEvent {
  readonly platform: string;
  readonly user: UserKey;
  readonly conversation: ConversationKey;
  readonly question: string;
  readonly kind: ReplyKind;
  /** The answered (or best candidate) entry, when there is one. */
  readonly entryId?: string;
  /** The calibrated confidence of the reply, when it has one. */
  readonly confidence?: number;
  readonly followUp: boolean;
  /** Time taken to answer, in milliseconds. */
  readonly latencyMs: number;
}

/** An event as stored: its id (given at record time) and time. */
export interface StoredEvent extends QuestionEvent {
  readonly id: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface StoredVote {
  readonly eventId: string;
  readonly user: UserKey;
  readonly vote: VoteValue;
  readonly at: number;
}

/** What `forget` deleted. */
export interface Forgotten {
  /** The user's own questions. */
  readonly events: number;
  /** The user's votes (on any event). */
  readonly votes: number;
}
