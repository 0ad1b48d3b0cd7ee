import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * What the bot does in a server channel, and the permission each needs. Slash commands and
 * buttons answer through the interaction itself and need none of these.
 * - ViewChannel: see the channel a mention comes from.
 * - SendMessages / SendMessagesInThreads: answer a mention, in a channel or a thread.
 * - EmbedLinks: answers are embeds; without it Discord strips them.
 * - ReadMessageHistory: answers reply to the question (message_reference), which requires it.
 */
export const BOT_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.ReadMessageHistory,
]).freeze();

/** Scopes of the invite: the bot user, and its slash commands. */
export const INVITE_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The URL a server admin opens to add the bot with exactly the permissions it needs. */
export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: INVITE_SCOPES.join(' '),
    permissions: BOT_PERMISSIONS.bitfield.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}
