import type { Report } from './build.ts';
import { REPORT_CONFIG } from './config.ts';
import { calibrationRows, count, isoMinute, percent, printable } from './format.ts';
import { REPORT_TEXTS as T } from './texts.ts';

/** The report as plain text for a terminal. */
export function renderText(report: Report): string {
  const out: string[] = [];
  const to = report.to - 1;
  out.push(
    T.title,
    T.period(isoMinute(report.from), isoMinute(to), report.platform ?? T.allPlatforms),
    T.total(report.total, count(report.total)),
    '',
  );

  const platformNames = report.platforms.map((p) => p.platform);
  out.push(T.perDay);
  out.push(
    ...table(
      [T.dayColumn, T.totalColumn, ...platformNames],
      report.days.map((d) => [
        d.day,
        count(d.count),
        ...platformNames.map((p) => count(d.byPlatform[p] ?? 0)),
      ]),
    ),
    '',
  );

  out.push(T.perPlatform);
  out.push(
    ...(report.platforms.length
      ? table(
          [],
          report.platforms.map((p) => [p.platform, count(p.count), percent(p.count / (report.total || 1))]),
        )
      : [`  ${T.none}`]),
    '',
  );

  out.push(T.replies);
  out.push(
    ...table(
      [],
      report.kinds.map((k) => [T.kinds[k.kind], count(k.count), percent(k.share)]),
    ),
    '',
  );

  for (const [title, groups] of [
    [T.declined, report.declined],
    [T.clarified, report.clarified],
  ] as const) {
    out.push(title);
    if (!groups.length) out.push(`  ${T.none}`);
    groups.slice(0, REPORT_CONFIG.maxGroups).forEach((group, i) => {
      out.push(
        `  ${T.group(i + 1, group.size, group.distinct)}   ${T.groupTokens(printable(group.tokens.join(' ')))}`,
      );
      for (const example of group.examples.slice(0, REPORT_CONFIG.examplesPerGroup)) {
        out.push(`     ${String(example.count).padStart(4)}× ${printable(example.question)}`);
      }
    });
    if (groups.length > REPORT_CONFIG.maxGroups)
      out.push(`  ${T.moreGroups(groups.length - REPORT_CONFIG.maxGroups)}`);
    out.push('');
  }

  out.push(T.entries, `  ${T.votes(report.votes.ups, report.votes.downs)}`);
  if (!report.entries.length) out.push(`  ${T.noVotes}`);
  else {
    const rows = table(
      [...T.entryColumns],
      report.entries.map((e) => [
        e.entryId,
        count(e.answers),
        count(e.ups),
        count(e.downs),
        percent(e.downRate),
      ]),
    );
    out.push(rows[0] ?? '');
    report.entries.forEach((entry, i) => {
      out.push(rows[i + 1] ?? '');
      for (const question of entry.downQuestions) out.push(`      ${T.downQuestion} ${printable(question)}`);
    });
  }
  out.push('');

  out.push(T.calibration);
  out.push(...table([...T.calibrationColumns], calibrationRows(report)));
  return `${out.join('\n')}\n`;
}

/** Left-aligned first column, right-aligned numbers, two spaces of indent. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = header.length ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return all.map((row) =>
    `  ${row
      .map((cell, i) => (i === 0 ? pad(cell, widths[i] ?? 0, 'end') : pad(cell, widths[i] ?? 0, 'start')))
      .join('  ')}`.trimEnd(),
  );
}

// Emoji are one column in most terminals; counting code points keeps the columns straight.
const width = (text: string) => [...text].length;
const pad = (text: string, to: number, side: 'start' | 'end') => {
  const fill = ' '.repeat(Math.max(0, to - width(text)));
  return side === 'start' ? fill + text : text + fill;
};
