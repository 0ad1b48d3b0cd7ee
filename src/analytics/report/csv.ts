import type { VotedEvent } from '../store.ts';
import { groupIndex, type Report } from './build.ts';
import { printableKeepingLines } from './format.ts';
import { REPORT_TEXTS as T } from './texts.ts';

/**
 * The declined questions for curation, one row each (RFC 4180), largest group first, then by
 * time. A question is user input: a cell starting with = + - @ (or a tab or CR) gets a leading
 * apostrophe, so a spreadsheet shows it as text instead of running it as a formula. Line breaks
 * stay (quoted); other control characters show as U+FFFD.
 */
export function declinedCsv(events: readonly VotedEvent[], report: Report): string {
  const groupOf = groupIndex(report.declined);
  const rows = events
    .filter((e) => e.kind === 'decline')
    .map((e) => ({ event: e, group: groupOf(e.question) }))
    .sort(
      (a, b) =>
        (a.group?.group ?? Number.MAX_SAFE_INTEGER) - (b.group?.group ?? Number.MAX_SAFE_INTEGER) ||
        a.event.at - b.event.at,
    )
    .map(({ event, group }) => [
      new Date(event.at).toISOString(),
      event.platform,
      printableKeepingLines(event.question),
      event.confidence === undefined ? '' : event.confidence.toFixed(3),
      String(group?.group ?? ''),
      String(group?.size ?? ''),
    ]);
  return [T.csvHeader, ...rows]
    .map((row) => row.map(cell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
