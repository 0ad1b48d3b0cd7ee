import type { Chat } from 'telegraf/types';

/** Where a message (or the message under a pressed button) is: its chat and, in a forum, its topic. */
export interface Place {
  readonly chat: Pick<Chat, 'id' | 'type'>;
  readonly is_topic_message?: boolean;
  readonly message_thread_id?: number;
}

/**
 * Whose conversation a message belongs to: a private chat is one; in a group each user in each
 * forum topic is their own, so two people asking at once never share context. Outside forums a
 * supergroup's message_thread_id names a reply chain, which would split a user's conversation each
 * time they reply, so only topic messages count their thread.
 */
export function conversationKey(place: Place, userId: number): string {
  if (place.chat.type === 'private') return `telegram:${place.chat.id}`;
  const thread = place.is_topic_message ? (place.message_thread_id ?? 0) : 0;
  return `telegram:${place.chat.id}:${thread}:${userId}`;
}

/** The layer's id for one of the bot's messages, to resume its context when someone replies to it. */
export const replyId = (chatId: number, messageId: number) => `telegram:${chatId}:${messageId}`;
