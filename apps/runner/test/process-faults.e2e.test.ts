import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** A plugin package with one dataset plugin `faulty/data` whose load() runs `body`. */
const faultyDataset = (body: string): string => `export default {
  meta: { name: 'faulty', version: '1.0.0', namespace: 'faulty' },
  datasets: [{
    kind: 'dataset', type: 'data', specVersion: 1, description: 'misbehaves on purpose',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    load() { ${body} },
  }],
};
`;

const CONFIG = `plugins: [./faulty.mjs]
name: faults
data:
  train: faulty/data
  test: faulty/data
model:
  input: [4]
  layers: [{ type: dense, units: 2 }]
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 2 }
`;

async function runWith(body: string, ...flags: string[]) {
  const cwd = await tempDir();
  await writeFile(join(cwd, 'faulty.mjs'), faultyDataset(body));
  await writeFile(join(cwd, 'x.yaml'), CONFIG);
  return runCli(['x.yaml', '--out', 'run', ...flags], { cwd });
}

// Node's own endings for these faults are exit 13 with a warning (unsettled top-level await) and
// exit 1 or 7 with Node's stack dump; each must instead be an exit code of the table, with a message.
describe('faults outside any await still end with a documented exit code and a message', () => {
  it('a promise that never settles: exit 1 saying the command stalled, not 13', async () => {
    const result = await runWith('return new Promise(() => {});');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: internal error: the command stopped before it finished');
    expect(result.stderr).toContain("a promise that never settles, e.g. in a plugin's load()");
    expect(result.stderr).not.toContain('Warning: Detected unsettled top-level await');
  });

  it('a rejected promise nobody awaits: exit 1 naming the error', async () => {
    const result = await runWith("Promise.reject(new Error('lost rejection')); return new Promise(() => {});", '--json');
    expect(result.code).toBe(1);
    const events = parseNdjson(result.stdout);
    expect(events).toEqual([expect.objectContaining({ event: 'error', exitCode: 1, message: 'internal error: lost rejection' })]);
    expect(result.stderr).toContain('Run with --debug');
  });

  it('an error thrown in a timer callback: exit 1 naming it, with the stack under --debug', async () => {
    const result = await runWith("setTimeout(() => { throw new Error('thrown in a timer'); }, 0); return new Promise(() => {});", '--debug');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: internal error: thrown in a timer');
    expect(result.stderr).toMatch(/\n\s+at .*faulty\.mjs/);
  });
});
