import type { Report } from './build.ts';

/** Numbers as the report prints them. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
export const count = (n: number) => n.toLocaleString('en-US');
export const band = (from: number, to: number) => `${from.toFixed(2)}–${to.toFixed(2)}`;
export const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

// Controls (C0, DEL, C1), and the bidirectional overrides and isolates that reorder what a
// terminal shows ("Trojan Source").
const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A reader's text, safe to print on one line: a stored question is user input, and an escape
 * sequence in it would reach the curator's terminal, a line break would break the layout. White
 * space becomes a space; any other control shows as U+FFFD, so the curator sees one was there.
 */
export const printable = (text: string) => text.replace(CONTROLS, (c) => (/\s/.test(c) ? ' ' : '\ufffd'));

/** The same for a CSV cell, which may hold line breaks inside its quotes (RFC 4180). */
export const printableKeepingLines = (text: string) =>
  text.replace(CONTROLS, (c) => (c === '\n' || c === '\r' ? c : /\s/.test(c) ? ' ' : '\ufffd'));

/** The calibration table's cells, band by band (the text and HTML reports print the same rows). */
export function calibrationRows(report: Report): string[][] {
  return report.calibration.map((b) => [
    band(b.from, b.to),
    count(b.answers),
    count(b.voted),
    count(b.ups),
    count(b.downs),
    b.upShare === undefined ? '–' : percent(b.upShare),
    b.meanConfidence === undefined ? '–' : b.meanConfidence.toFixed(2),
  ]);
}
