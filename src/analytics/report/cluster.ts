/** Questions grouped by similarity: the curator's to-do list. */
export interface QuestionGroup {
  /** Questions in the group, repeats included. */
  readonly size: number;
  /** Different questions (after case and spacing are ignored). */
  readonly distinct: number;
  /** The tokens of the group's first (most asked) question. */
  readonly tokens: readonly string[];
  /** The most asked questions first, with how often each was asked. */
  readonly examples: readonly { readonly question: string; readonly count: number }[];
  /** Every distinct question's normalized text, to find a question's group. */
  readonly members: readonly string[];
}

/** Case and spacing do not make a question different. */
export const normalizeQuestion = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Leader clustering on the matcher's own tokens: distinct questions, most asked first, each join
 * the group whose leader it is most similar to (at least `threshold`), or lead a new one. The
 * result does not depend on the order of the input; groups come largest first.
 */
export function groupQuestions(
  questions: readonly string[],
  tokens: (text: string) => readonly string[],
  threshold: number,
): QuestionGroup[] {
  const distinct = new Map<string, { text: string; count: number }>();
  for (const question of questions) {
    const key = normalizeQuestion(question);
    const seen = distinct.get(key);
    if (seen) seen.count += 1;
    else distinct.set(key, { text: question.trim(), count: 1 });
  }
  const ordered = [...distinct.entries()].sort(
    ([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const groups: {
    leader: ReadonlySet<string>;
    tokens: string[];
    items: { key: string; text: string; count: number }[];
  }[] = [];
  for (const [key, item] of ordered) {
    const own = [...new Set(tokens(item.text))];
    const set = new Set(own);
    let best: (typeof groups)[number] | undefined;
    let bestScore = 0;
    for (const group of groups) {
      const score = jaccard(set, group.leader);
      if (score >= threshold && score > bestScore) {
        best = group;
        bestScore = score;
      }
    }
    if (best) best.items.push({ key, ...item });
    else groups.push({ leader: set, tokens: own, items: [{ key, ...item }] });
  }
  return groups
    .map((group) => ({
      size: group.items.reduce((sum, item) => sum + item.count, 0),
      distinct: group.items.length,
      tokens: group.tokens,
      examples: group.items.map(({ text, count }) => ({ question: text, count })),
      members: group.items.map((item) => item.key),
    }))
    .sort((a, b) => b.size - a.size || b.distinct - a.distinct || compare(a.members[0], b.members[0]));
}

function compare(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
