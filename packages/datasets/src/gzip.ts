import { DataFormatError } from '@scratchnet/spec';

/**
 * gzip support through the web-standard DecompressionStream (Node >= 18 and every current
 * browser), so the same code runs everywhere without a zlib dependency. Files are recognised by
 * their magic bytes 1f 8b, never by their name.
 */

// Minimal structural types: the project compiles without the DOM lib, and @types/node 20 does
// not declare DecompressionStream as a global.
interface ChunkReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface ChunkWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}
interface GzipDecoder {
  readonly readable: { getReader(): ChunkReader };
  readonly writable: { getWriter(): ChunkWriter };
}
type GzipDecoderConstructor = new (format: 'gzip') => GzipDecoder;

/** Input is fed in slices so decompression overlaps with copying out. */
const WRITE_CHUNK = 1 << 20;
/** deflate cannot expand data by more than about 1032:1, so a larger size claim is corrupt. */
const MAX_DEFLATE_RATIO = 1032;
/** Beyond this the buffer grows as data arrives instead of trusting the footer up front. */
const MAX_PREALLOCATION = 1 << 30;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * A cap on the decompressed size, for formats whose header declares their length: a small gzip
 * can inflate to gigabytes (a "decompression bomb"), so decompression stops as soon as more bytes
 * than the header allows have come out.
 */
export interface GunzipLimit {
  /**
   * Called with the output so far (each time more arrives) until it returns a number: the most
   * bytes the data may decompress to, or undefined while the header is still incomplete. May
   * throw (e.g. a DataFormatError for a bad header); decompression then stops with that error.
   */
  maxBytes(head: Uint8Array): number | undefined;
  /** The error for output longer than `maxBytes`; `produced` is how far decompression got. */
  exceeded(maxBytes: number, produced: number): Error;
}

/** Decompresses `bytes` when they start with the gzip magic; returns them unchanged otherwise. */
export async function maybeGunzip(bytes: Uint8Array, fileName: string, limit?: GunzipLimit): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzip(bytes, fileName, limit) : bytes;
}

/**
 * Decompresses a whole gzip file. Any failure (truncation, bad checksum, junk after the stream)
 * becomes a DataFormatError naming `fileName`. With `limit`, decompression stops early (with
 * `limit.exceeded`'s error) once the output is longer than the limit allows. The returned
 * promise always settles: on every early exit the stream is cancelled and the writer aborted.
 */
export async function gunzip(bytes: Uint8Array, fileName: string, limit?: GunzipLimit): Promise<Uint8Array> {
  const Decoder = (globalThis as { DecompressionStream?: GzipDecoderConstructor }).DecompressionStream;
  if (Decoder === undefined) {
    throw new DataFormatError(
      { file: fileName },
      'an environment with DecompressionStream to read gzip data',
      'none (this JavaScript runtime is too old)',
      'Use Node >= 18 or a current browser, or decompress the file first (gunzip FILE).',
    );
  }
  let output = new Uint8Array(0);
  let length = 0;
  let writerError: unknown;
  let writing: Promise<void> = Promise.resolve();
  let reader: ChunkReader | undefined;
  let writer: ChunkWriter | undefined;
  /** Set once `limit` has answered; until then (and without a limit) there is no cap. */
  let maxBytes = limit === undefined ? Infinity : undefined;
  const hint = sizeHint(bytes);
  try {
    // With a limit, the footer's claim is not trusted for a big up-front buffer: a bomb's
    // footer can claim up to 1 GiB. The buffer grows as data arrives, and never past the cap.
    output = new Uint8Array(limit === undefined ? hint : Math.min(hint, 1 << 16));
    const decoder = new Decoder('gzip');
    const activeWriter = decoder.writable.getWriter();
    writer = activeWriter;
    // The writer runs alongside the reader. Both see the same failure, but which of them gets
    // zlib's own message (e.g. "unexpected end of file") and which a bare stream error depends
    // on timing, so the writer's error is kept to explain the reader's.
    writing = (async () => {
      for (let offset = 0; offset < bytes.length; offset += WRITE_CHUNK) {
        await activeWriter.write(bytes.subarray(offset, offset + WRITE_CHUNK));
      }
      await activeWriter.close();
    })().catch((error: unknown) => {
      writerError = error;
    });
    const activeReader = decoder.readable.getReader();
    reader = activeReader;
    for (;;) {
      const { done, value } = await activeReader.read();
      if (done || value === undefined) break;
      if (limit !== undefined && maxBytes !== undefined && length + value.length > maxBytes) {
        // Keep nothing past the cap: report how far decompression got, then stop it.
        throw new LimitStop(limit.exceeded(maxBytes, length + value.length));
      }
      if (length + value.length > output.length) {
        // When the footer agrees with the cap (a well-formed file), grow once to the final size.
        const wanted = maxBytes === hint ? hint : Math.max(output.length * 2, length + value.length);
        const grown = new Uint8Array(maxBytes === undefined ? wanted : Math.max(length + value.length, Math.min(wanted, maxBytes)));
        grown.set(output.subarray(0, length));
        output = grown;
      }
      output.set(value, length);
      length += value.length;
      if (limit !== undefined && maxBytes === undefined) {
        try {
          maxBytes = limit.maxBytes(output.subarray(0, length));
        } catch (error) {
          throw new LimitStop(error);
        }
        if (maxBytes !== undefined && length > maxBytes) throw new LimitStop(limit.exceeded(maxBytes, length));
      }
    }
  } catch (error) {
    // Stop both ends so nothing is left pending: cancelling the readable side errors the
    // writable side, and aborting the writer settles a write that waits for back-pressure.
    await stop(reader, writer, error);
    await writing;
    if (error instanceof LimitStop) throw error.reason;
    throw corruptGzip(fileName, messageOf(error) === '' && writerError !== undefined ? writerError : error);
  }
  return length === output.length ? output : output.subarray(0, length);
}

/** An early stop asked for by the limit (not a gzip failure): its reason is thrown as is. */
class LimitStop {
  constructor(readonly reason: unknown) {}
}

async function stop(reader: ChunkReader | undefined, writer: ChunkWriter | undefined, reason: unknown): Promise<void> {
  const reasonError = reason instanceof LimitStop ? new Error('decompression stopped early') : reason;
  await Promise.allSettled([reader?.cancel(reasonError), writer?.abort(reasonError)]);
}

/** The ISIZE footer (size mod 2^32 of the last member), when it is plausible. */
function sizeHint(bytes: Uint8Array): number {
  const fallback = 1 << 16;
  if (bytes.length < 18) return fallback;
  const end = bytes.length;
  const size = (bytes[end - 4]! | (bytes[end - 3]! << 8) | (bytes[end - 2]! << 16) | (bytes[end - 1]! << 24)) >>> 0;
  return size > 0 && size <= bytes.length * MAX_DEFLATE_RATIO && size <= MAX_PREALLOCATION ? size : fallback;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function corruptGzip(fileName: string, error: unknown): DataFormatError {
  const reason = messageOf(error);
  // Node's stream adapter does not always pass zlib's message on (seen on Node 20 under load and
  // on Node 24 with a bad checksum: an error with no message), so the wording cannot rely on it.
  const found = /unexpected end/i.test(reason)
    ? 'a gzip stream that ends early'
    : `gzip data that does not decompress${reason === '' ? '' : ` (${reason})`}`;
  return new DataFormatError(
    { file: fileName },
    'a complete gzip stream',
    found,
    'The file starts with the gzip signature (1f 8b) but does not decompress: it is probably ' +
      'truncated or damaged. Download it again, or check it with `gzip -t FILE`.',
  );
}
