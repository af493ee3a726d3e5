/**
 * Base64 and zlib decoding with web-standard APIs only (no Node modules), so the embedded data
 * decodes the same way in Node >= 18 and in browsers.
 */

// Minimal structural types: the project compiles without the DOM lib.
interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
}
interface ZlibDecoder {
  readonly readable: { getReader(): ChunkReader };
  readonly writable: { getWriter(): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
}
type ZlibDecoderConstructor = new (format: 'deflate') => ZlibDecoder;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (with or without `=` padding) to bytes; throws on any other character. */
export function decodeBase64(text: string): Uint8Array {
  const end = text.endsWith('==') ? text.length - 2 : text.endsWith('=') ? text.length - 1 : text.length;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let held = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) throw new Error(`invalid base64 character at ${i}`);
    bits = (bits << 6) | value;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[o++] = (bits >> held) & 0xff;
    }
  }
  return out;
}

/** Decompresses zlib (RFC 1950) data through DecompressionStream('deflate'). */
export async function inflate(bytes: Uint8Array, name: string): Promise<Uint8Array> {
  const Decoder = (globalThis as { DecompressionStream?: ZlibDecoderConstructor }).DecompressionStream;
  if (Decoder === undefined) {
    throw new Error(`@scratchnet/digits-data: cannot decode ${name}: this JavaScript runtime has no DecompressionStream (use Node >= 18 or a current browser).`);
  }
  const decoder = new Decoder('deflate');
  const writer = decoder.writable.getWriter();
  const writing = writer.write(bytes).then(() => writer.close());
  writing.catch(() => undefined); // awaited below; a read error is reported first
  const reader = decoder.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value !== undefined) {
      chunks.push(value);
      length += value.length;
    }
  }
  await writing;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
