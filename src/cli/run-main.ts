import { PlatformError } from '../adapters/platform-error.ts';
import { ConfigError } from '../config.ts';
import { KnowledgeError } from '../core/knowledge.ts';

/**
 * Runs a CLI entry point: known start-up problems (configuration, knowledge base, a platform that
 * refused to start) print their own clear message and exit 1; anything else prints the error and
 * exits 1 too, without a raw stack. A PlatformError's message is already free of secrets.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof KnowledgeError || error instanceof PlatformError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Fatal: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exit(1);
  });
}
