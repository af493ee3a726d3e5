// Every corrupted .onnx file must end in a decoded model or an OnnxFormatError: never a
// RangeError, a TypeError, a hang, or an allocation sized by what a damaged length claims.
// Mutations are seeded (createRng), so a failure names a reproducible case.
//
// Memory bound: the only typed arrays a decode allocates are the copies of raw_data fields, each
// from bytes the input holds, so a decode may allocate at most as many typed-array bytes as the
// input has. A length varint rewritten to claim 4 GiB must be refused before anything is sized
// from it.
import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, OnnxFormatError } from './index.js';
import { countAllocations } from '@scratchnet/testkit';
import { mlpModel } from './test-models.js';

const CASES = 1000;
/** Generous for a decode of a few kilobytes that takes about a millisecond: only a hang or a quadratic blow-up exceeds it on a busy machine. */
const MAX_MILLISECONDS = 1000;

/** Varints that claim far more bytes than any test file has. */
const HUGE_LENGTHS = [
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64 - 1
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], // 2^53
  [0xff, 0xff, 0xff, 0x7f], // 2^28 - 1
];

/** Reads a varint at `at`; undefined when it runs past `end` or past 10 bytes. */
function varintAt(bytes: Uint8Array, at: number, end: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < end; i++) {
    value += (bytes[at + i]! & 0x7f) * 2 ** (7 * i);
    if (bytes[at + i]! < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

/**
 * Offsets of the length prefixes of length-delimited fields, found without the schema: a field's
 * bytes that parse as a message are walked into. Strings that happen to parse add a few offsets
 * that are not message lengths; rewriting those is a fine mutation too.
 */
function lengthOffsets(bytes: Uint8Array, start = 0, end = bytes.length, depth = 0): number[] | undefined {
  const offsets: number[] = [];
  let at = start;
  while (at < end) {
    const key = varintAt(bytes, at, end);
    if (key === undefined || key.value < 8) return undefined;
    at = key.next;
    const wireType = key.value % 8;
    if (wireType === 0) at = varintAt(bytes, at, end)?.next ?? Infinity;
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = varintAt(bytes, at, end);
      if (length === undefined || length.next + length.value > end) return undefined;
      offsets.push(at);
      if (depth < 12) offsets.push(...(lengthOffsets(bytes, length.next, length.next + length.value, depth + 1) ?? []));
      at = length.next + length.value;
    } else return undefined;
  }
  return at === end ? offsets : undefined;
}

const MUTATIONS = ['flip bits', 'insert bytes', 'delete bytes', 'huge length', 'truncate'] as const;
type Mutation = (typeof MUTATIONS)[number];

function mutate(valid: Uint8Array, lengths: readonly number[], rng: Rng): { kind: Mutation; bytes: Uint8Array } {
  const kind = MUTATIONS[rng.int(MUTATIONS.length)]!;
  const at = rng.int(valid.length);
  const bytes = Array.from(valid);
  switch (kind) {
    case 'flip bits':
      for (let flips = 1 + rng.int(3), k = 0; k < flips; k++) {
        const where = rng.int(bytes.length);
        bytes[where] = bytes[where]! ^ (1 << rng.int(8));
      }
      break;
    case 'insert bytes':
      bytes.splice(at, 0, ...Array.from({ length: 1 + rng.int(4) }, () => rng.int(256)));
      break;
    case 'delete bytes':
      bytes.splice(at, 1 + rng.int(4));
      break;
    case 'huge length': {
      const where = lengths[rng.int(lengths.length)]!;
      const old = varintAt(valid, where, valid.length)!;
      bytes.splice(where, old.next - where, ...HUGE_LENGTHS[rng.int(HUGE_LENGTHS.length)]!);
      break;
    }
    case 'truncate':
      bytes.length = at;
      break;
  }
  return { kind, bytes: new Uint8Array(bytes) };
}

async function fuzz(seed: number, valid: Uint8Array, cases: number) {
  const lengths = lengthOffsets(valid)!;
  const rng = createRng(seed);
  const unexpected: string[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 0; i < cases; i++) {
    const { kind, bytes } = mutate(valid, lengths, rng);
    const started = performance.now();
    const result = await countAllocations(() => decodeModel(bytes));
    const elapsed = performance.now() - started;
    const label = `case ${i} (${kind}, ${bytes.length} bytes)`;
    if (elapsed > MAX_MILLISECONDS) unexpected.push(`${label}: took ${elapsed.toFixed(0)} ms`);
    if (result.bytes > bytes.length) unexpected.push(`${label}: allocated ${result.bytes} bytes of typed arrays for ${bytes.length} input bytes`);
    if (result.value !== undefined) {
      // Whatever decodes is a model the writer accepts, and it reads back the same (compared as
      // bytes: encoding is deterministic, and a deep comparison of every raw_data byte is slow).
      try {
        const once = encodeModel(result.value);
        const twice = encodeModel(decodeModel(once));
        if (once.length !== twice.length || once.some((byte, k) => byte !== twice[k])) throw new Error('encode(decode(encode(model))) differs from encode(model)');
      } catch (error) {
        unexpected.push(`${label}: decoded, but does not survive encode -> decode: ${String(error).slice(0, 300)}`);
      }
    } else if (!(result.error instanceof OnnxFormatError)) {
      unexpected.push(`${label}: ${result.error instanceof Error ? `${result.error.name}: ${result.error.message}` : String(result.error)}`);
    }
    const outcome = `${kind}: ${result.value !== undefined ? 'decoded' : 'refused'}`;
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return { unexpected, outcomes, lengths: lengths.length };
}

describe(`fuzzing decodeModel (seeded bit flips, insertions, deletions, huge lengths, truncations)`, () => {
  it(`${CASES} mutations of an encoded MLP`, async () => {
    const result = await fuzz(16, encodeModel(mlpModel()), CASES);
    expect(result.unexpected).toEqual([]);
    expect(result.lengths).toBeGreaterThan(40);
    // Every kind of mutation ran, and both outcomes happened (a fuzz that only ever refuses, or
    // only ever decodes, is not exercising the reader).
    for (const kind of MUTATIONS) expect(result.outcomes.get(`${kind}: refused`), kind).toBeGreaterThan(0);
    expect(result.outcomes.get('flip bits: decoded')).toBeGreaterThan(0);
    expect(result.outcomes.get('huge length: decoded')).toBeUndefined();
  });

  it('300 mutations of the PyTorch-exported LeNet', async () => {
    const valid = new Uint8Array(readFileSync(new URL('../fixtures/pytorch-lenet.onnx', import.meta.url)));
    const result = await fuzz(17, valid, 300);
    expect(result.unexpected).toEqual([]);
    expect(result.outcomes.get('flip bits: decoded')).toBeGreaterThan(0);
  });

  it('a length claiming 4 GiB inside a 1 KB file allocates nothing for the claim', async () => {
    const valid = encodeModel(mlpModel());
    const lengths = lengthOffsets(valid)!;
    for (const where of lengths) {
      const old = varintAt(valid, where, valid.length)!;
      const bytes = new Uint8Array([...valid.subarray(0, where), ...HUGE_LENGTHS[0]!, ...valid.subarray(old.next)]);
      const result = await countAllocations(() => decodeModel(bytes));
      expect(result.error, `length at byte ${where}`).toBeInstanceOf(OnnxFormatError);
      // Refused where the claim is: the length exceeds what is left, or (when the rewritten varint
      // is now longer than the message around it) the varint runs past that message's end.
      expect((result.error as OnnxFormatError).expected, `length at byte ${where}`).toMatch(/^a length/);
      expect(result.bytes).toBeLessThanOrEqual(bytes.length);
    }
  });
});
