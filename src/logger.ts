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
