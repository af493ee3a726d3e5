/**
 * Small shared helpers for data-format messages, so every loader words the same things the
 * same way.
 */

/** The classes of every digit format: '0'..'9'. */
export const DIGIT_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** `1 image`, `3 images`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What every loader reports for a 0-byte file, so "the file is empty" reads the same everywhere. */
export const EMPTY_FILE = '0 bytes (the file is empty)';

/** `0x00000803`. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** The first (up to) 4 bytes as one hex number, `0x1f8b0800`; fewer bytes as `bytes 1f 8b`. */
export function leadingHex(bytes: Uint8Array): string {
  if (bytes.length >= 4) return hex32(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  return `bytes ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/** A byte as a reader sees it: `'2'`, `a tab`, `byte 0xc3`. */
export function describeByte(byte: number): string {
  if (byte === 0x09) return 'a tab';
  if (byte === 0x0d) return 'a carriage return (CR) not followed by LF';
  if (byte === 0x0a) return 'a line break';
  if (byte === 0x20) return 'a space';
  if (byte > 0x20 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

/** A parsed JSON value in a message: `null`, `a string "abc"`, `an array of 3 items`, `12.5`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${plural(value.length, 'item')}`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 20 ? `${value.slice(0, 20)}...` : value;
      return `a string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return String(value);
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return 'nothing';
  }
}

/** Up to `limit` names, then how many more: `a, b, c and 12 more`. */
export function listNames(names: readonly string[], limit = 8): string {
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}

