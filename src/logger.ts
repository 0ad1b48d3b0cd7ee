import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr, so stdout stays clean for the JSON CLI. Token-bearing fields are
 * redacted in case a library error carries the request configuration.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', '*.token', 'config.token', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** Removes bot tokens from any text before it is logged (URLs like /bot123:ABC/ or "Bot xyz"). */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\bbot\d{5,15}:[A-Za-z0-9_-]{30,50}/gi, 'bot[redacted]')
    .replace(/\b\d{5,15}:[A-Za-z0-9_-]{30,50}\b/g, '[redacted]')
    .replace(/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}\b/g, '[redacted]');
}
