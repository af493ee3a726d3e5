import { DataFormatError } from '@scratchnet/spec';

/**
 * JSON.parse with errors a user can act on. Engines word (and place) syntax errors differently,
 * and V8 often gives no position at all, so on failure a small scanner walks the text to find the
 * first error and reports it as line:col with what was expected there.
 */

export interface JsonSyntaxIssue {
  /** 0-based index into the text (UTF-16 code units). */
  readonly index: number;
  readonly expected: string;
  readonly found: string;
}

/**
 * The largest JSON data file read: JSON is parsed whole, as one string (V8 caps strings at about
 * 512 MB) and then as objects several times its size. The sklearn digits are 0.5 MB; a data set
 * this large belongs in a binary format such as idx.
 */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** The error for a JSON file (or its decompressed text) larger than MAX_JSON_BYTES. */
export function jsonTooLarge(fileName: string, bytes: number, decompressed = false): DataFormatError {
  return new DataFormatError(
    { file: fileName },
    `a JSON file of at most ${megabytes(MAX_JSON_BYTES)}${decompressed ? ' once decompressed' : ''} (JSON is read whole into memory)`,
    `${decompressed ? 'more than ' : ''}${megabytes(bytes)}${decompressed ? ' of decompressed text' : ''}`,
    'Store a data set this large in a binary format: write it as idx files (images and labels) and use the idx dataset.',
  );
}

const decoder = new TextDecoder();

/** UTF-8 bytes of a JSON file as text, refusing files beyond MAX_JSON_BYTES by name and size. */
export function decodeJsonBytes(bytes: Uint8Array, fileName: string): string {
  if (bytes.length > MAX_JSON_BYTES) throw jsonTooLarge(fileName, bytes.length);
  return decoder.decode(bytes);
}

/** 1-based line and column of `index` in `text` (columns count UTF-16 code units). */
export function lineColumn(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: index - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes a DataFormatError at its line:col. */
export function parseJsonText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const issue = findJsonSyntaxError(text);
    if (issue === undefined) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DataFormatError({ file: fileName }, 'valid JSON', `text JSON.parse rejects (${reason})`);
    }
    throw new DataFormatError({ file: fileName, ...lineColumn(text, issue.index) }, issue.expected, issue.found, 'The file is not valid JSON; was it cut short or edited by hand?');
  }
}

const isWhitespace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

class SyntaxIssue {
  constructor(readonly issue: JsonSyntaxIssue) {}
}

/**
 * The first syntax error in `text`, or undefined when it is valid JSON. Iterative (an explicit
 * stack of open containers), so deeply nested input cannot overflow the call stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxIssue | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxIssue) return error.issue;
    throw error;
  }
}

function foundAt(text: string, index: number): string {
  if (index >= text.length) return 'the end of the text';
  const c = text[index]!;
  return c.charCodeAt(0) < 0x20 ? `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `'${c}'`;
}

function fail(text: string, index: number, expected: string): never {
  throw new SyntaxIssue({ index, expected, found: foundAt(text, index) });
}

function scan(text: string): void {
  const open: ('{' | '[')[] = [];
  let state: 'value' | 'key' | 'after' = 'value';
  let i = 0;
  for (;;) {
    while (isWhitespace(text[i])) i++;
    if (state === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) {
        if (i < text.length) fail(text, i, 'the end of the JSON text');
        return;
      }
      const close = top === '{' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = top === '{' ? 'key' : 'value';
      } else if (text[i] === close) {
        open.pop();
        i++;
      } else {
        fail(text, i, `',' or '${close}'`);
      }
    } else if (state === 'key') {
      if (text[i] !== '"') fail(text, i, 'a double-quoted property name');
      i = scanString(text, i);
      while (isWhitespace(text[i])) i++;
      if (text[i] !== ':') fail(text, i, "':' after the property name");
      i++;
      state = 'value';
    } else {
      const c = text[i];
      state = 'after';
      if (c === '{' || c === '[') {
        open.push(c);
        i++;
        while (isWhitespace(text[i])) i++;
        if (text[i] === (c === '{' ? '}' : ']')) {
          open.pop();
          i++;
        } else {
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        i = scanString(text, i);
      } else if (c === '-' || isDigit(c)) {
        i = scanNumber(text, i);
      } else if (c === 't' || c === 'f' || c === 'n') {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) fail(text, i + k, `'${word}'`);
        i += word.length;
      } else {
        fail(text, i, 'a value (object, array, string, number, true, false or null)');
      }
    }
  }
}

/** `start` is at the opening quote; returns the index after the closing one. */
function scanString(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) fail(text, i, 'a closing double quote');
    if (c === '"') return i + 1;
    if (c.charCodeAt(0) < 0x20) fail(text, i, 'a string character (control characters must be escaped)');
    if (c === '\\') {
      const e = text[i + 1];
      if (e === 'u') {
        for (let k = 2; k < 6; k++) if (!isHex(text[i + k])) fail(text, i + k, 'a hex digit of a \\u escape');
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
        i += 2;
      } else {
        fail(text, i + 1, 'an escape character (one of " \\ / b f n r t u)');
      }
    } else {
      i++;
    }
  }
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text[i] === '-') i++;
  if (text[i] === '0') i++;
  else if (isDigit(text[i])) while (isDigit(text[i])) i++;
  else fail(text, i, 'a digit');
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) fail(text, i, 'a digit after the decimal point');
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) fail(text, i, 'a digit in the exponent');
    while (isDigit(text[i])) i++;
  }
  return i;
}
