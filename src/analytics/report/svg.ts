/**
 * Small inline SVG charts: no script, no external file, scaled to the page width through
 * viewBox, so the HTML report reads the same on a phone and offline.
 */
export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export interface Bar {
  readonly label: string;
  /** 0..1 of the chart's width. */
  readonly value: number;
  /** Printed after the bar. */
  readonly text: string;
  /** A second, thinner bar under the first (calibration: claimed confidence). */
  readonly reference?: number;
}

const fmt = (n: number) => Number(n.toFixed(1)).toString();

/** One labelled horizontal bar per row. */
export function horizontalBars(bars: readonly Bar[], title: string): string {
  const row = 28;
  const labelWidth = 150;
  const barWidth = 200;
  const width = labelWidth + barWidth + 90;
  const height = Math.max(row, bars.length * row);
  const rows = bars.map((bar, i) => {
    const y = i * row;
    const w = Math.max(0, Math.min(1, bar.value)) * barWidth;
    const reference =
      bar.reference === undefined
        ? ''
        : `<rect x="${labelWidth}" y="${fmt(y + 19)}" width="${fmt(Math.max(0, Math.min(1, bar.reference)) * barWidth)}" height="5" class="ref"/>`;
    return [
      `<text x="${labelWidth - 6}" y="${fmt(y + 15)}" text-anchor="end">${escapeHtml(shorten(bar.label, 22))}</text>`,
      `<rect x="${labelWidth}" y="${fmt(y + 4)}" width="${fmt(w)}" height="14" class="bar"/>`,
      reference,
      `<text x="${fmt(labelWidth + w + 6)}" y="${fmt(y + 15)}">${escapeHtml(bar.text)}</text>`,
    ].join('');
  });
  return svg(width, height, title, rows.join(''));
}

/** One vertical bar per day. */
export function columnChart(columns: readonly { label: string; value: number }[], title: string): string {
  const height = 120;
  const base = 100;
  const step = Math.max(8, Math.min(40, 560 / Math.max(1, columns.length)));
  const width = Math.max(200, columns.length * step + 10);
  const max = Math.max(1, ...columns.map((c) => c.value));
  const bars = columns.map((c, i) => {
    const h = (c.value / max) * (base - 14);
    const x = 5 + i * step;
    return `<rect x="${fmt(x)}" y="${fmt(base - h)}" width="${fmt(step * 0.8)}" height="${fmt(h)}" class="bar"><title>${escapeHtml(`${c.label}: ${c.value}`)}</title></rect>`;
  });
  const first = columns[0]?.label ?? '';
  const last = columns.at(-1)?.label ?? '';
  const axis = `<text x="5" y="${base + 14}">${escapeHtml(first)}</text><text x="${width - 5}" y="${base + 14}" text-anchor="end">${escapeHtml(last)}</text><text x="5" y="10">${max}</text>`;
  return svg(width, height, title, bars.join('') + axis);
}

function svg(width: number, height: number, title: string, body: string): string {
  // Inline SVG in HTML needs no namespace attribute (and so names no URL).
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" class="chart"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
