// Test-only: byte strings written as commented hex. Excluded from the build (test-*.ts).

/**
 * Bytes from hex pairs; anything after `//` on a line is a comment, so an expected encoding can
 * say field by field where each byte comes from.
 */
export function hex(text: string): Uint8Array {
  const pairs = text
    .split('\n')
    .map((line) => line.split('//')[0]!)
    .join(' ')
    .split(/\s+/)
    .filter((pair) => pair !== '');
  for (const pair of pairs) if (!/^[0-9a-f]{2}$/.test(pair)) throw new Error(`hex(): "${pair}" is not a byte`);
  return new Uint8Array(pairs.map((pair) => Number.parseInt(pair, 16)));
}

/** `0a 01 78`: how the tests show bytes, so a mismatch reads like the expectation. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

