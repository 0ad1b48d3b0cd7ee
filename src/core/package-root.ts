import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * A path from the package root, whether the caller runs from src/ or from the compiled dist/src/:
 * data files (knowledge base, English resources, decision model) are not compiled, so they are
 * always read from the source tree.
 */
export function fromPackageRoot(relative: string): string {
  let dir = import.meta.dirname;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(dir, relative);
}
