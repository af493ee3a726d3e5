import type { Summary } from './stats.js';

// Number formats shared by the report's tables.
export const thousands = (x: number): string => Math.round(x).toLocaleString('en-US');
export const oneDecimal = (x: number): string => x.toFixed(1);
export const range = (s: Summary, f: (x: number) => string): string => `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;
export const ratio = (x: number): string => (x >= 10 ? `${x.toFixed(0)}x` : `${x.toFixed(2)}x`);
export const percent = (x: number | undefined): string => (x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);
