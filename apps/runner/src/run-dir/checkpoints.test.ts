import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, Tensor } from '@scratchnet/tensor';
import { decodeCheckpoint, type Checkpoint } from '@scratchnet/train';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { readCheckpoints, writeCheckpoint } from './checkpoints.js';

/** The real node:fs, whose openSync a test can make fail as on a full disk. */
const fsHook = vi.hoisted(() => ({ failOpen: undefined as ((path: string) => boolean) | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: string, ...rest: never[]) => {
    if (fsHook.failOpen?.(String(path))) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
    return (actual.openSync as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof actual.openSync;
  return { ...actual, openSync };
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-checkpoints-'));
  fsHook.failOpen = undefined;
});
afterEach(async () => {
  fsHook.failOpen = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A checkpoint whose one weight holds its epoch, and the model weights file that goes with it. */
function epoch(n: number): { checkpoint: Checkpoint; weights: Uint8Array } {
  const rng = createRng(n).state();
  const checkpoint: Checkpoint = {
    formatVersion: 1,
    epoch: n,
    batchInEpoch: 0,
    iteration: n * 10,
    weights: { 'layers.0.bias': Tensor.from([2], [n, n]) },
    state: {},
    optimiser: { step: n * 10, buffers: {} },
    rng: { model: rng, data: rng },
    progress: { lossSum: 0, correct: 0, samples: 0 },
  };
  return { checkpoint, weights: new TextEncoder().encode(`weights of epoch ${n}`) };
}

const epochOf = (name: string): number => decodeCheckpoint(new Uint8Array(readFileSync(join(dir, name)))).epoch;
const weightsText = (): string => readFileSync(join(dir, 'weights.safetensors'), 'utf8');

describe('writeCheckpoint', () => {
  it('keeps latest, previous and the weights of latest, and no temp files', () => {
    for (const n of [1, 2, 3]) {
      const { checkpoint, weights } = epoch(n);
      expect(writeCheckpoint(dir, checkpoint, weights)).toBe(join(dir, 'latest.safetensors'));
    }
    expect(readdirSync(dir).sort()).toEqual(['latest.safetensors', 'previous.safetensors', 'weights.safetensors']);
    expect(epochOf('latest.safetensors')).toBe(3);
    expect(epochOf('previous.safetensors')).toBe(2);
    expect(weightsText()).toBe('weights of epoch 3');
  });

  it.each(['latest.safetensors', 'weights.safetensors'])(
    'on a full disk while writing %s changes no file, so weights and latest stay of one epoch',
    (failing) => {
      writeCheckpoint(dir, epoch(1).checkpoint, epoch(1).weights);
      writeCheckpoint(dir, epoch(2).checkpoint, epoch(2).weights);
      fsHook.failOpen = (path) => path.includes(`${failing}.tmp-`);
      let error: unknown;
      try {
        writeCheckpoint(dir, epoch(3).checkpoint, epoch(3).weights);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RunnerError);
      expect((error as RunnerError).exitCode).toBe(5);
      expect((error as RunnerError).message).toContain(`${failing}: no space left on the device`);
      expect(readdirSync(dir).sort()).toEqual(['latest.safetensors', 'previous.safetensors', 'weights.safetensors']);
      expect(epochOf('latest.safetensors')).toBe(2);
      expect(epochOf('previous.safetensors')).toBe(1);
      expect(weightsText()).toBe('weights of epoch 2');
    },
  );
});

describe('readCheckpoints', () => {
  it('with no checkpoint is exit 2, nothing to resume, and says how to start the run over', async () => {
    let error: unknown;
    try {
      await readCheckpoints(dir, 'runs/a', (file) => file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RunnerError);
    expect((error as RunnerError).exitCode).toBe(2);
    expect((error as RunnerError).message).toContain('runs/a has no checkpoint');
    expect((error as RunnerError).message).toContain('there is nothing to resume. Start it over with: runner runs/a/config.resolved.yaml --out runs/a --overwrite');
  });
});
