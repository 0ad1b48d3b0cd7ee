/** Numbers as the report prints them. */
export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
export const count = (n: number) => n.toLocaleString('en-US');
export const band = (from: number, to: number) => `${from.toFixed(2)}–${to.toFixed(2)}`;
export const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
