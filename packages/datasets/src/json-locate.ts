/**
 * Finds where a value sits in JSON text, so an error found after JSON.parse (a bad pixel at
 * `data[3][9]`) can also be shown at its line:col in the file. Only called on failure: one scan
 * of the text, no parse tree kept with positions for the common, valid case.
 */

/** One step of a JSON path: an object key or an array index. */
export type JsonPathStep = string | number;

/**
 * `data[3][9]` -> ['data', 3, 9]; `(root)` -> []. Keys are plain identifiers, as in the paths
 * the loaders build; anything else gives undefined.
 */
export function parseJsonPath(path: string): JsonPathStep[] | undefined {
  if (path === '(root)') return [];
  const match = /^([A-Za-z_$][\w$]*)((?:\[\d+\])*)$/.exec(path);
  if (match === null) return undefined;
  const indices = [...match[2]!.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  return [match[1]!, ...indices];
}

/**
 * Index (UTF-16 code units) of the first character of the value at `path` in `text`, which must
 * be valid JSON (JSON.parse accepted it); undefined when the path does not exist. A key given
 * twice resolves to its last occurrence, as JSON.parse does.
 */
export function locateJsonValue(text: string, path: readonly JsonPathStep[]): number | undefined {
  let i = skipWhitespace(text, 0);
  for (const step of path) {
    if (typeof step === 'number') {
      if (text[i] !== '[') return undefined;
      i = skipWhitespace(text, i + 1);
      for (let k = 0; k < step; k++) {
        if (text[i] === ']') return undefined;
        i = skipWhitespace(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i = skipWhitespace(text, i + 1);
      }
      if (text[i] === ']' || i >= text.length) return undefined;
    } else {
      if (text[i] !== '{') return undefined;
      i = skipWhitespace(text, i + 1);
      let found: number | undefined;
      while (text[i] === '"') {
        const keyEnd = skipString(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = skipWhitespace(text, keyEnd);
        if (text[i] !== ':') return undefined;
        i = skipWhitespace(text, i + 1);
        if (key === step) found = i;
        i = skipWhitespace(text, skipValue(text, i));
        if (text[i] === ',') i = skipWhitespace(text, i + 1);
      }
      if (found === undefined) return undefined;
      i = found;
    }
  }
  return i;
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** `i` is at an opening quote; returns the index after the closing one. */
function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return i;
}

/** Returns the index just after the value starting at `i`. Iterative, so nesting depth is no risk. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '[' || c === '{') {
    let depth = 0;
    while (i < text.length) {
      const d = text[i];
      if (d === '"') {
        i = skipString(text, i);
        continue;
      }
      if (d === '[' || d === '{') depth++;
      else if (d === ']' || d === '}') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  // A number, true, false or null: it ends at a separator or whitespace.
  while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++;
  return i;
}
