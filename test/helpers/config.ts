import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

/** The message loadConfig refuses `env` with; fails the test when it accepts it. */
export function configProblems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}
