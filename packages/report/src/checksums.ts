// The two checksums a PNG needs, in plain TypeScript so the encoder runs in browsers too (no
// node:zlib). Bitwise rather than table-driven: no module-level table to build on import, and a
// report's images are a few hundred kilobytes, which this checks in milliseconds.

/** CRC-32 (ISO-HDLC, polynomial 0xEDB88320) as PNG chunks use it; pass `crc` to continue one. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** Adler-32 of a zlib stream's uncompressed data (RFC 1950). */
export function adler32(bytes: Uint8Array): number {
  const MOD = 65521;
  // 5552 is the most bytes whose sums cannot overflow 2^32 before the modulo (zlib's NMAX).
  const CHUNK = 5552;
  let a = 1;
  let b = 0;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}
