import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { syncFolder, writeFileAtomic, writeFolderAtomic } from './atomic.js';

/**
 * The real node:fs, with a log of the calls that matter for durability and a hook that can make
 * one fail the way a full disk or an odd platform does.
 */
const fsLog = vi.hoisted(() => ({
  calls: [] as string[],
  fail: undefined as ((name: string, target: unknown) => NodeJS.ErrnoException | undefined) | undefined,
}));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const folders = new Map<number, string>();
  /** The real call, unless the test's hook fails it first; `describe` names it in the log. */
  function logged<F extends (...args: never[]) => unknown>(name: string, call: F, describe: (args: Parameters<F>, result: ReturnType<F>) => string): F {
    return ((...args: Parameters<F>) => {
      const error = fsLog.fail?.(name, args[0]);
      if (error) throw error;
      const result = call(...args) as ReturnType<F>;
      fsLog.calls.push(describe(args, result));
      return result;
    }) as F;
  }
  return {
    ...actual,
    openSync: logged('openSync', actual.openSync, ([path], fd) => {
      if (actual.fstatSync(fd).isDirectory()) folders.set(fd, String(path));
      return `open ${String(path)}`;
    }),
    renameSync: logged('renameSync', actual.renameSync, ([from, to]) => `rename ${String(from)} -> ${String(to)}`),
    fsyncSync: logged('fsyncSync', actual.fsyncSync, ([fd]) => (folders.has(fd) ? `fsync folder ${folders.get(fd)}` : 'fsync file')),
    closeSync: logged('closeSync', actual.closeSync, ([fd]) => {
      folders.delete(fd);
      return 'close';
    }),
  };
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-atomic-'));
  fsLog.calls.length = 0;
  fsLog.fail = undefined;
});
afterEach(async () => {
  fsLog.fail = undefined;
  await rm(dir, { recursive: true, force: true });
});

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: simulated`), { code });

function thrown(action: () => void): RunnerError {
  try {
    action();
  } catch (error) {
    if (error instanceof RunnerError) return error;
    throw error;
  }
  throw new Error('expected a RunnerError');
}

describe('writeFileAtomic', () => {
  it('replaces a file in one step and leaves no temp files', () => {
    const file = join(dir, 'deep', 'a.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, new Uint8Array([116, 119, 111]));
    expect(readdirSync(join(dir, 'deep'))).toEqual(['a.json']);
    expect(readFileSync(file, 'utf8')).toBe('two');
  });

  it('fsyncs the file before the rename and the folder after it, so the new name survives a power cut', () => {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'one');
    const steps = fsLog.calls.filter((call) => call.startsWith('fsync') || call.startsWith('rename'));
    expect(steps).toEqual(['fsync file', expect.stringMatching(/^rename .*a\.json\.tmp-\d+-\d+ -> .*a\.json$/), `fsync folder ${dir}`]);
    // Every descriptor opened, folder ones included, is closed again.
    expect(fsLog.calls.filter((call) => call.startsWith('open')).length).toBe(fsLog.calls.filter((call) => call === 'close').length);
  });

  it('fails with exit 5 naming the file when the folder cannot be made', () => {
    writeFileSync(join(dir, 'blocker'), '');
    const error = thrown(() => writeFileAtomic(join(dir, 'blocker', 'a.json'), 'x'));
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(`cannot write ${join(dir, 'blocker', 'a.json')}`);
  });

  it('on a full disk keeps the old file and removes its temp file', () => {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'old');
    fsLog.fail = (name, target) => (name === 'fsyncSync' && typeof target === 'number' ? errno('ENOSPC') : undefined);
    const error = thrown(() => writeFileAtomic(file, 'new'));
    expect(error.message).toContain('no space left on the device');
    expect(readdirSync(dir)).toEqual(['a.json']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});

describe('syncFolder', () => {
  it.each(['EISDIR', 'EINVAL', 'EPERM'])('goes on where a folder cannot be opened or synced (%s)', (code) => {
    fsLog.fail = (name, target) => (name === 'openSync' && target === dir ? errno(code) : undefined);
    expect(() => syncFolder(dir)).not.toThrow();
    fsLog.fail = (name) => (name === 'fsyncSync' ? errno(code) : undefined);
    expect(() => syncFolder(dir)).not.toThrow();
    expect(fsLog.calls).toContain('close');
  });

  it('reports a real failure (EIO) as exit 5 naming the folder', () => {
    fsLog.fail = (name) => (name === 'fsyncSync' ? errno('EIO') : undefined);
    const error = thrown(() => syncFolder(dir));
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(`cannot write ${dir}: EIO`);
  });
});

describe('writeFolderAtomic', () => {
  it('renames a whole staged folder into place, replacing the one there, and syncs the parent', () => {
    const target = join(dir, 'model');
    writeFolderAtomic(target, (staging) => writeFileSync(join(staging, 'old.json'), '1'));
    writeFolderAtomic(target, (staging) => {
      writeFileAtomic(join(staging, 'a.json'), 'a');
      // Nothing is visible under the final name until the folder is complete.
      expect(existsSync(join(target, 'a.json'))).toBe(false);
      writeFileAtomic(join(staging, 'b.json'), 'b');
    });
    expect(readdirSync(target).sort()).toEqual(['a.json', 'b.json']);
    expect(readdirSync(dir)).toEqual(['model']);
    expect(fsLog.calls.at(-2)).toBe(`fsync folder ${dir}`);
  });

  it('leaves neither the folder nor its staging copy when filling it fails', () => {
    const target = join(dir, 'checkpoints');
    fsLog.fail = (name, target) => (name === 'openSync' && String(target).includes('b.json') ? errno('ENOSPC') : undefined);
    const error = thrown(() =>
      writeFolderAtomic(target, (staging) => {
        writeFileAtomic(join(staging, 'a.json'), 'a');
        writeFileAtomic(join(staging, 'b.json'), 'b');
      }),
    );
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('b.json: no space left on the device');
    expect(readdirSync(dir)).toEqual([]);
  });
});
