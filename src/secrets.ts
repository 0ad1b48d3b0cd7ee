/**
 * Removes bot tokens from any text before it is logged or shown (URLs like /bot123:ABC/ or
 * "Bot xyz"). Its own module, so the CLIs' error path does not load the logger to use it.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\bbot\d{5,15}:[A-Za-z0-9_-]{30,50}/gi, 'bot[redacted]')
    .replace(/\b\d{5,15}:[A-Za-z0-9_-]{30,50}\b/g, '[redacted]')
    .replace(/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}\b/g, '[redacted]');
}
