import type { Report } from './build.ts';
import { REPORT_CONFIG } from './config.ts';
import { band, calibrationRows, count, isoMinute, percent, printable } from './format.ts';
import { type Bar, columnChart, escapeHtml as h, horizontalBars } from './svg.ts';
import { REPORT_TEXTS as T } from './texts.ts';

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.meta{color:#57606a}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .4rem;border-bottom:1px solid #eaeef2;text-align:right;vertical-align:top}th:first-child,td:first-child{text-align:left}
.scroll{overflow-x:auto}.chart{width:100%;height:auto;max-width:40rem;display:block;margin:.5rem 0}
.chart text{font-size:11px;fill:#1b1f24}.bar{fill:#0969da}.ref{fill:#8c959f}
ol.groups>li{margin:.6rem 0}.tokens{color:#57606a;font-size:.85em}ul.examples{margin:.2rem 0;padding-left:1.2rem}
.n{color:#57606a;font-variant-numeric:tabular-nums}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.chart text{fill:#e6edf3}th,td{border-color:#30363d}.meta,.tokens,.n{color:#8b949e}}
`;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no font, image or
 * link to fetch (the Content-Security-Policy forbids any), readable on a phone.
 */
export function renderHtml(report: Report, generatedAt: number): string {
  const platformNames = report.platforms.map((p) => p.platform);
  const sections = [
    section(
      'per-day',
      T.perDay,
      columnChart(
        report.days.map((d) => ({ label: d.day, value: d.count })),
        T.chartPerDay,
      ) +
        tableHtml(
          [T.dayColumn, T.totalColumn, ...platformNames],
          report.days.map((d) => [
            d.day,
            count(d.count),
            ...platformNames.map((p) => count(d.byPlatform[p] ?? 0)),
          ]),
        ),
    ),
    section(
      'per-platform',
      T.perPlatform,
      report.platforms.length
        ? tableHtml(
            [],
            report.platforms.map((p) => [p.platform, count(p.count), percent(p.count / (report.total || 1))]),
          )
        : `<p>${h(T.none)}</p>`,
    ),
    section(
      'replies',
      T.replies,
      horizontalBars(
        report.kinds.map((k) => ({
          label: T.kinds[k.kind],
          value: k.share,
          text: `${count(k.count)} · ${percent(k.share)}`,
        })),
        T.chartReplies,
      ),
    ),
    section('declined', T.declined, groupsHtml(report.declined)),
    section('clarified', T.clarified, groupsHtml(report.clarified)),
    section('entries', T.entries, entriesHtml(report)),
    section('calibration', T.calibration, calibrationHtml(report)),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${h(T.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header id="summary">
<h1>${h(T.title)}</h1>
<p class="meta">${h(T.period(isoMinute(report.from), isoMinute(report.to - 1), report.platform ?? T.allPlatforms))}<br>${h(T.total(report.total, count(report.total)))} · ${h(T.votes(report.votes.ups, report.votes.downs))}</p>
</header>
${sections.join('\n')}
<footer class="meta"><p>${h(T.generated(isoMinute(generatedAt)))}</p></footer>
</body>
</html>
`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}">\n<h2>${h(title)}</h2>\n${body}\n</section>`;
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.length
    ? `<thead><tr>${header.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>`
    : '';
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table>${head}<tbody>${body}</tbody></table></div>`;
}

function groupsHtml(groups: Report['declined']): string {
  if (!groups.length) return `<p>${h(T.none)}</p>`;
  const shown = groups.slice(0, REPORT_CONFIG.maxGroups).map((group, i) => {
    const examples = group.examples
      .slice(0, REPORT_CONFIG.examplesPerGroup)
      .map((e) => `<li><span class="n">${e.count}×</span> ${h(printable(e.question))}</li>`)
      .join('');
    return `<li><strong>${h(T.group(i + 1, group.size, group.distinct).replace(/^\d+\. /, ''))}</strong> <span class="tokens">${h(T.groupTokens(group.tokens.join(' ')))}</span><ul class="examples">${examples}</ul></li>`;
  });
  const more =
    groups.length > REPORT_CONFIG.maxGroups
      ? `<p class="meta">${h(T.moreGroups(groups.length - REPORT_CONFIG.maxGroups))}</p>`
      : '';
  return `<ol class="groups">${shown.join('')}</ol>${more}`;
}

function entriesHtml(report: Report): string {
  if (!report.entries.length) return `<p>${h(T.noVotes)}</p>`;
  const chart = horizontalBars(
    report.entries.map((e) => ({
      label: e.entryId,
      value: e.downRate,
      text: `${percent(e.downRate)} of ${e.ups + e.downs}`,
    })),
    T.chartEntries,
  );
  const rows = report.entries
    .map((e) => {
      const questions = e.downQuestions
        .map((q) => `<li>${h(T.downQuestion)} ${h(printable(q))}</li>`)
        .join('');
      return `<tr><td>${h(e.entryId)}<ul class="examples">${questions}</ul></td><td>${count(e.answers)}</td><td>${count(e.ups)}</td><td>${count(e.downs)}</td><td>${percent(e.downRate)}</td></tr>`;
    })
    .join('');
  const head = `<thead><tr>${T.entryColumns.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>`;
  return `${chart}<div class="scroll"><table>${head}<tbody>${rows}</tbody></table></div>`;
}

function calibrationHtml(report: Report): string {
  const bars: Bar[] = report.calibration.map((b) => ({
    label: band(b.from, b.to),
    value: b.upShare ?? 0,
    text: b.upShare === undefined ? '–' : `${percent(b.upShare)} of ${b.ups + b.downs}`,
    ...(b.meanConfidence === undefined ? {} : { reference: b.meanConfidence }),
  }));
  return (
    horizontalBars(bars, T.chartCalibration) + tableHtml([...T.calibrationColumns], calibrationRows(report))
  );
}
