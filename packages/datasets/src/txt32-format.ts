import type { Dataset } from '@scratchnet/spec';
import { DataFormatError } from '@scratchnet/spec';
import { DIGIT_CLASSES, EMPTY_FILE, describeByte, plural } from './describe.js';

/**
 * The 32x32 text digits of "Machine Learning in Action": a file `<label>_<index>.txt` holds 32
 * lines of 32 characters '0'/'1' (LF or CRLF endings, an optional final line break and at most
 * one empty line after the last row). Pixels are 0 or 1, kept as bytes.
 */

export const TXT32_SIDE = 32;
const PIXELS = TXT32_SIDE * TXT32_SIDE;
const ZERO = 0x30;
const ONE = 0x31;
const LF = 0x0a;
const CR = 0x0d;

const encoder = new TextEncoder();

/** Length of the line break at `pos` (1 for LF, 2 for CRLF), 0 if there is none. */
function lineBreakAt(bytes: Uint8Array, pos: number): number {
  if (bytes[pos] === LF) return 1;
  return bytes[pos] === CR && bytes[pos + 1] === LF ? 2 : 0;
}

/**
 * Parses one file into 1024 values 0/1. Writes into `target` at `offset` when given (how the
 * loader fills one big array), otherwise into a new Uint8Array. Errors carry line:col.
 */
export function parseTxt32(content: Uint8Array | string, fileName: string): Uint8Array;
export function parseTxt32<T extends Uint8Array | Float32Array>(content: Uint8Array | string, fileName: string, target: T, offset?: number): T;
export function parseTxt32(content: Uint8Array | string, fileName: string, target?: Uint8Array | Float32Array, offset = 0): Uint8Array | Float32Array {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  const out = target ?? new Uint8Array(PIXELS);
  const at = (line: number, col: number) => ({ file: fileName, line, col });
  if (bytes.length === 0) {
    throw new DataFormatError(at(1, 1), `${TXT32_SIDE} lines of ${TXT32_SIDE} '0'/'1' characters`, EMPTY_FILE, 'Remove the file or write the digit into it again.');
  }
  let pos = 0;
  for (let row = 0; row < TXT32_SIDE; row++) {
    const line = row + 1;
    if (pos >= bytes.length) {
      throw new DataFormatError(at(line, 1), `${TXT32_SIDE} lines of ${TXT32_SIDE} '0'/'1' characters`, plural(row, 'line'), 'The file ends early; it may be truncated.');
    }
    for (let col = 0; col < TXT32_SIDE; col++) {
      const c = bytes[pos];
      if (c === ZERO || c === ONE) {
        out[offset + row * TXT32_SIDE + col] = c - ZERO;
        pos++;
        continue;
      }
      if (c === undefined || lineBreakAt(bytes, pos) > 0) {
        throw new DataFormatError(at(line, col + 1), `${TXT32_SIDE} characters on line ${line}`, plural(col, 'character'), 'Every line holds exactly 32 pixels.');
      }
      throw new DataFormatError(at(line, col + 1), "'0' or '1'", describeByte(c), 'Pixels are written as 0 (background) or 1 (ink).');
    }
    const lineBreak = lineBreakAt(bytes, pos);
    if (lineBreak === 0 && pos < bytes.length) {
      const c = bytes[pos]!;
      const found = c === ZERO || c === ONE ? `a ${TXT32_SIDE + 1}rd character ${describeByte(c)}` : describeByte(c);
      throw new DataFormatError(at(line, TXT32_SIDE + 1), `the end of line ${line} (LF or CRLF) after ${TXT32_SIDE} characters`, found, 'Every line holds exactly 32 pixels.');
    }
    pos += lineBreak;
  }
  // One empty line after the last row is tolerated; anything else is not.
  const trailing = lineBreakAt(bytes, pos);
  const end = pos + trailing;
  if (end < bytes.length) {
    const line = TXT32_SIDE + (trailing > 0 ? 2 : 1);
    const found = lineBreakAt(bytes, end) > 0 ? 'another empty line' : describeByte(bytes[end]!);
    throw new DataFormatError(at(line, 1), `the end of the file after ${TXT32_SIDE} lines`, found, `A digit file has exactly ${TXT32_SIDE} lines (one empty line may follow).`);
  }
  return out;
}

/** The label of `7_25.txt` (7); throws DataFormatError for names without a digit label. */
export function txt32Label(fileName: string): number {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const underscore = base.indexOf('_');
  const label = underscore === -1 ? undefined : DIGIT_CLASSES.indexOf(base.slice(0, underscore));
  if (label === undefined || label === -1) {
    throw new DataFormatError(
      { file: fileName },
      "a file name '<label>_<index>.txt' with a digit label, like 7_25.txt",
      JSON.stringify(base),
      'The label is the digit before the first "_"; rename the file or move it out of the folder.',
    );
  }
  return label;
}

/** Orders file names by label, then by index (numerically when both are numbers). */
export function compareTxt32Names(a: string, b: string): number {
  const split = (name: string): [string, string] => {
    const underscore = name.indexOf('_');
    return [name.slice(0, underscore), name.slice(underscore + 1).replace(/\.txt$/i, '')];
  };
  const [labelA, restA] = split(a);
  const [labelB, restB] = split(b);
  if (labelA !== labelB) return labelA < labelB ? -1 : 1;
  const numberA = /^\d+$/.test(restA) ? Number(restA) : NaN;
  const numberB = /^\d+$/.test(restB) ? Number(restB) : NaN;
  if (!Number.isNaN(numberA) && !Number.isNaN(numberB) && numberA !== numberB) return numberA - numberB;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One txt32 file's name and contents. */
export interface Txt32File {
  readonly name: string;
  readonly content: Uint8Array | string;
}

/** Many txt32 files (in the given order) -> Dataset [n, 1, 32, 32], pixels 0/1 as bytes, classes '0'..'9'. */
export function txt32Dataset(files: readonly Txt32File[], source: string): Dataset {
  if (files.length === 0) {
    throw new DataFormatError({ file: source }, "at least one '<label>_<index>.txt' file", 'no files');
  }
  const images = new Uint8Array(files.length * PIXELS);
  const labels = new Uint8Array(files.length);
  files.forEach((file, i) => {
    labels[i] = txt32Label(file.name);
    parseTxt32(file.content, file.name, images, i * PIXELS);
  });
  return { images, labels, sampleShape: [1, TXT32_SIDE, TXT32_SIDE], count: files.length, classNames: DIGIT_CLASSES, source };
}
