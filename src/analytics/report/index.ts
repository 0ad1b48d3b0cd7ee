import type { AnalyticsStore, VotedEvent } from '../store.ts';
import { buildReport, type Report } from './build.ts';

export type { Report } from './build.ts';
export { declinedCsv } from './csv.ts';
export { renderHtml } from './html.ts';
export { renderText } from './text.ts';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `--since`: a span back from now (`7d`, `24h`, `2w`) or a UTC date (`2026-11-01`). */
export function parseSince(text: string, now: number): number {
  const span = /^(\d{1,5})([hdw])$/.exec(text.trim());
  if (span) return now - Number(span[1]) * UNIT_MS[span[2] as keyof typeof UNIT_MS];
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    const at = Date.parse(`${text.trim()}T00:00:00Z`);
    if (Number.isFinite(at)) return at;
  }
  throw new Error(
    `--since: expected a span such as 7d, 24h or 2w, or a date such as 2026-11-01 (got "${text}")`,
  );
}

export interface ReportQuery {
  readonly from: number;
  readonly to: number;
  readonly platform?: string;
  readonly tokens: (text: string) => readonly string[];
}

/** Reads the period's events with their votes and builds the report from them. */
export async function produceReport(
  store: AnalyticsStore,
  query: ReportQuery,
): Promise<{ report: Report; events: VotedEvent[] }> {
  const events = await store.votedEvents({
    since: query.from,
    until: query.to,
    ...(query.platform ? { platform: query.platform } : {}),
  });
  return {
    events,
    report: buildReport(events, {
      from: query.from,
      to: query.to,
      tokens: query.tokens,
      ...(query.platform ? { platform: query.platform } : {}),
    }),
  };
}
