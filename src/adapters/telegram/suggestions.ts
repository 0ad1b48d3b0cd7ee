import { createHash } from 'node:crypto';

/** A short, stable id for a text (inline query results need ids of at most 64 bytes). */
export function shortId(text: string): string {
  // 60 bits: collisions among a few thousand questions are out of the question.
  return createHash('sha256').update(text).digest('base64url').slice(0, 10);
}
