/**
 * "/quote kirby war" typed as text (console, Telegram, a Discord DM or mention): the command's
 * name, lower-cased, and the rest. Telegram's "/quote@SomeBot" form is accepted. One parser, so
 * every platform reads command text the same way.
 */
export function parseCommandText(text: string): { name: string; rest: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  const name = match?.[1];
  return name ? { name: name.toLowerCase(), rest: (match?.[2] ?? '').trim() } : undefined;
}
