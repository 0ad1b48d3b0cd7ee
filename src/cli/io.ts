import { ConfigError } from '../config.ts';

/** Where a command-line tool writes: lines on stdout and stderr (tests capture them). */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The configuration `load` returns, or undefined after printing its ConfigError. */
export function configOrReport<T>(load: () => T, io: CliIo): T | undefined {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return undefined;
    }
    throw error;
  }
}
