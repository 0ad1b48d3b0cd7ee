import type { VotedEvent } from '../store.ts';
import { groupQuestions, normalizeQuestion, type QuestionGroup } from './cluster.ts';
import { REPORT_CONFIG } from './config.ts';

const DAY_MS = 24 * 60 * 60 * 1_000;

export type KindLabel = 'answer' | 'clarify' | 'decline' | 'smalltalk' | 'other';
export const KIND_ORDER: readonly KindLabel[] = ['answer', 'clarify', 'decline', 'smalltalk', 'other'];

export interface EntryFeedback {
  readonly entryId: string;
  /** Answers with this entry first. */
  readonly answers: number;
  readonly ups: number;
  readonly downs: number;
  /** 👎 among votes; 0 without votes. */
  readonly downRate: number;
  /** Questions whose answer got a 👎, most recent first. */
  readonly downQuestions: readonly string[];
}

export interface CalibrationBand {
  /** Inclusive lower edge; `to` is exclusive except for the last band, which includes 1. */
  readonly from: number;
  readonly to: number;
  readonly answers: number;
  /** Answers with at least one vote. */
  readonly voted: number;
  readonly ups: number;
  readonly downs: number;
  /** 👍 among the votes, undefined without votes. */
  readonly upShare?: number;
  /** Mean claimed confidence of the voted answers (of all answers when none was voted on). */
  readonly meanConfidence?: number;
}

export interface Report {
  /** Milliseconds: from inclusive, to exclusive. */
  readonly from: number;
  readonly to: number;
  readonly platform?: string;
  readonly total: number;
  readonly platforms: readonly { readonly platform: string; readonly count: number }[];
  /** UTC days, oldest first, with the count per platform. */
  readonly days: readonly {
    readonly day: string;
    readonly count: number;
    readonly byPlatform: Readonly<Record<string, number>>;
  }[];
  readonly kinds: readonly { readonly kind: KindLabel; readonly count: number; readonly share: number }[];
  readonly declined: readonly QuestionGroup[];
  readonly clarified: readonly QuestionGroup[];
  /** Entries with at least one 👎, highest 👎 rate first. */
  readonly entries: readonly EntryFeedback[];
  readonly calibration: readonly CalibrationBand[];
  readonly votes: { readonly ups: number; readonly downs: number };
}

export interface ReportOptions {
  readonly from: number;
  readonly to: number;
  readonly platform?: string;
  /** The matcher's tokens of a text (`QaService.tokens`). */
  readonly tokens: (text: string) => readonly string[];
  readonly similarity?: number;
}

/** Everything the report shows, from the events of its period (already filtered). */
export function buildReport(events: readonly VotedEvent[], options: ReportOptions): Report {
  const total = events.length;
  const share = (n: number) => (total ? n / total : 0);

  const platformCounts = countBy(events, (e) => e.platform);
  const platforms = [...platformCounts.entries()]
    .map(([platform, count]) => ({ platform, count }))
    .sort((a, b) => b.count - a.count || (a.platform < b.platform ? -1 : 1));

  const kindCounts = countBy(events, (e) => kindLabel(e.kind));
  const kinds = KIND_ORDER.map((kind) => ({
    kind,
    count: kindCounts.get(kind) ?? 0,
    share: share(kindCounts.get(kind) ?? 0),
  }));

  const similarity = options.similarity ?? REPORT_CONFIG.similarity;
  const questionsOf = (kind: string) => events.filter((e) => e.kind === kind).map((e) => e.question);

  return {
    from: options.from,
    to: options.to,
    ...(options.platform ? { platform: options.platform } : {}),
    total,
    platforms,
    days: days(events, options.from, options.to),
    kinds,
    declined: groupQuestions(questionsOf('decline'), options.tokens, similarity),
    clarified: groupQuestions(questionsOf('clarify'), options.tokens, similarity),
    entries: entryFeedback(events),
    calibration: calibration(events),
    votes: {
      ups: events.reduce((sum, e) => sum + e.ups, 0),
      downs: events.reduce((sum, e) => sum + e.downs, 0),
    },
  };
}

/** A question's group among `groups` (1 = the largest), for the CSV export. */
export function groupIndex(
  groups: readonly QuestionGroup[],
): (question: string) => { group: number; size: number } | undefined {
  const index = new Map<string, { group: number; size: number }>();
  groups.forEach((group, i) => {
    for (const member of group.members) index.set(member, { group: i + 1, size: group.size });
  });
  return (question) => index.get(normalizeQuestion(question));
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function kindLabel(kind: string): KindLabel {
  return kind === 'answer' || kind === 'clarify' || kind === 'decline' || kind === 'smalltalk'
    ? kind
    : 'other';
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function days(events: readonly VotedEvent[], from: number, to: number): Report['days'] {
  const byDay = new Map<string, Record<string, number>>();
  const span = (to - from) / DAY_MS;
  if (span <= REPORT_CONFIG.maxListedDays) {
    // Every day of the period, so quiet days show as zero rather than vanish.
    for (let t = Date.parse(`${dayOf(from)}T00:00:00Z`); t < to; t += DAY_MS) byDay.set(dayOf(t), {});
  }
  for (const event of events) {
    const day = dayOf(event.at);
    const counts = byDay.get(day) ?? {};
    counts[event.platform] = (counts[event.platform] ?? 0) + 1;
    byDay.set(day, counts);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, byPlatform]) => ({
      day,
      count: Object.values(byPlatform).reduce((sum, n) => sum + n, 0),
      byPlatform,
    }));
}

function entryFeedback(events: readonly VotedEvent[]): EntryFeedback[] {
  const entries = new Map<string, { answers: number; ups: number; downs: number; down: VotedEvent[] }>();
  for (const event of events) {
    if (event.kind !== 'answer' || !event.entryId) continue;
    const entry = entries.get(event.entryId) ?? { answers: 0, ups: 0, downs: 0, down: [] };
    entry.answers += 1;
    entry.ups += event.ups;
    entry.downs += event.downs;
    if (event.downs) entry.down.push(event);
    entries.set(event.entryId, entry);
  }
  return [...entries.entries()]
    .filter(([, e]) => e.downs > 0)
    .map(([entryId, e]) => ({
      entryId,
      answers: e.answers,
      ups: e.ups,
      downs: e.downs,
      downRate: e.downs / (e.ups + e.downs),
      downQuestions: unique(
        e.down.sort((a, b) => b.at - a.at).map((d) => d.question.trim()),
        REPORT_CONFIG.downQuestionsPerEntry,
      ),
    }))
    .sort((a, b) => b.downRate - a.downRate || b.downs - a.downs || (a.entryId < b.entryId ? -1 : 1))
    .slice(0, REPORT_CONFIG.maxEntries);
}

function calibration(events: readonly VotedEvent[]): CalibrationBand[] {
  const edges = REPORT_CONFIG.confidenceBands;
  const bands = edges.slice(0, -1).map((from, i) => ({
    from,
    to: edges[i + 1] ?? 1,
    answers: 0,
    voted: 0,
    ups: 0,
    downs: 0,
    confidenceSum: 0,
    votedConfidenceSum: 0,
  }));
  for (const event of events) {
    if (event.kind !== 'answer' || event.confidence === undefined) continue;
    const c = event.confidence;
    const band = bands.find((b, i) => c >= b.from && (c < b.to || i === bands.length - 1));
    if (!band) continue;
    band.answers += 1;
    band.confidenceSum += c;
    if (event.ups + event.downs > 0) {
      band.voted += 1;
      band.votedConfidenceSum += c;
      band.ups += event.ups;
      band.downs += event.downs;
    }
  }
  return bands.map(({ confidenceSum, votedConfidenceSum, ...band }) => ({
    ...band,
    ...(band.ups + band.downs ? { upShare: band.ups / (band.ups + band.downs) } : {}),
    ...(band.voted
      ? { meanConfidence: votedConfidenceSum / band.voted }
      : band.answers
        ? { meanConfidence: confidenceSum / band.answers }
        : {}),
  }));
}

function unique(texts: readonly string[], limit: number): string[] {
  return [...new Set(texts)].slice(0, limit);
}
