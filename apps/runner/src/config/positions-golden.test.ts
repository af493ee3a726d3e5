import { describe, expect, it } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { loadExperiment } from './load-config.js';

/**
 * Golden tests for where config problems are reported: each expected line is exactly what the
 * runner prints, its file:line:col checked by hand to be the offending key. The files mix in
 * what shifts positions in other tools: comment lines, trailing comments, a leading "---",
 * anchors, merge keys, multi-line flow style, CRLF line ends and a second document.
 */
async function report(text: string): Promise<string[]> {
  try {
    await loadExperiment({ text, displayName: 'configs/g.yaml', configDir: '/nonexistent', overrides: [] });
  } catch (error) {
    if (error instanceof RunnerError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const TAIL = `loss: softmax-cross-entropy
optimiser: sgd
`;

const COMMENTED = `# An experiment with comments everywhere a position could slip.
---
name: golden   # trailing comment after a valid value
seed: 7
# a comment line between top-level keys

# and a blank line
data:
  # train split
  train: { type: sklearn-digits-json, path: digits.json }   # trailing: { not: flow }
model:
  input: [64] # 8x8
  layers:
    # the hidden layer
    - type: dense
      # a comment between the type and the bad option
      units: 0   # must be >= 1
    - relu
    # between list items
    - { type: dense, units: 10, bais: true } # an unknown option in flow style
${TAIL}training:
  # a "quoted # hash" inside a comment
  epochs: 2
  note: "a # inside a string is not a comment"   # unknown key
  lastBatch: drp   # typo of drop
`;

const COMMENTED_REPORT = [
  'configs/g.yaml:17:7 model.layers[0].units (dense): units must be an integer >= 1 (found 0)',
  'configs/g.yaml:20:33 model.layers[2].bais (dense): unknown option "bais". Options of dense: units, weightInit, biasInit, useBias',
  'configs/g.yaml:26:3 training.note: unknown key "note". Keys of training: epochs, batchSize, lastBatch, shuffle, backend, threads, parallelism, shards, earlyStopping, restoreBest, clipNorm, warmupEpochs',
  'configs/g.yaml:27:3 training.lastBatch: lastBatch must be one of "keep", "drop" (found "drp"); did you mean "drop"?',
  '(4 problems in the config; nothing was run)',
];

describe('config problem positions (golden)', () => {
  it('stay on the offending key with comment lines, trailing comments and a leading ---', async () => {
    expect(await report(COMMENTED)).toEqual(COMMENTED_REPORT);
  });

  it('are the same with CRLF line ends', async () => {
    expect(await report(COMMENTED.replace(/\n/g, '\r\n'))).toEqual(COMMENTED_REPORT);
  });

  it('follow aliases and merge keys to the anchored value, and stop at keys that override it', async () => {
    const text = `name: golden
data:
  train: &digits
    type: sklearn-digits-json
    path: digits.json
    take: 0
  test:
    <<: *digits
    skip: 100
  preprocess: [&scale { type: scale, divisor: 0 }]
model:
  input: [64]
  layers: &layers
    - { type: dense, units: 10 }
${TAIL}training: { <<: { epochs: 2, batchSize: 8 }, batchSize: -1 }
`;
    expect(await report(text)).toEqual([
      'configs/g.yaml:6:5 data.train.take (sklearn-digits-json): take must be an integer >= 1 (found 0)',
      // The test split merges take: 0 from the train split: the fix is on the same line.
      'configs/g.yaml:6:5 data.test.take (sklearn-digits-json): take must be an integer >= 1 (found 0)',
      'configs/g.yaml:10:38 data.preprocess[0].divisor (scale): divisor must be a number > 0 (found 0)',
      'configs/g.yaml:17:46 training.batchSize: batchSize must be an integer >= 1 (found -1)',
      '(4 problems in the config; nothing was run)',
    ]);
  });

  it('accepts merge keys rather than calling "<<" an unknown key', async () => {
    const text = `name: golden
data:
  train: &digits { type: sklearn-digits-json, path: digits.json, take: 100 }
  test: { <<: *digits, skip: 100, take: 50 }
model: { input: [64], layers: [{ type: dense, units: 10 }] }
${TAIL}training: { epochs: 1, batchSize: 8 }
`;
    const loaded = await loadExperiment({ text, displayName: 'configs/g.yaml', configDir: '/nonexistent', overrides: [] });
    expect(loaded.experiment.data.test).toMatchObject({ type: 'sklearn-digits-json', path: 'digits.json', skip: 100, take: 50 });
  });

  it('stay on the key inside flow collections written over several lines', async () => {
    const text = `name: golden
data: { train: { type: sklearn-digits-json,
                 path: digits.json } }
model: {
  input: [64],
  layers: [
    { type: dense,
      units: 0 },
    relu, { type: dense, units: 10 }
  ]
}
${TAIL}training: {
  epochs: 2,
  batchSize: 8,
  backend: wsam
}
`;
    expect(await report(text)).toEqual([
      'configs/g.yaml:8:7 model.layers[0].units (dense): units must be an integer >= 1 (found 0)',
      'configs/g.yaml:17:3 training.backend: backend must be one of "auto", "js", "wasm" (found "wsam"); did you mean "wasm"?',
      '(2 problems in the config; nothing was run)',
    ]);
  });

  it('put a second document at its first line, with a message saying a config holds one', async () => {
    const text = `# comment
name: golden
seed: 1
---
name: other
`;
    expect(await report(text)).toEqual([
      'configs/g.yaml:4:1 a second YAML document starts here, but a config file holds one document. ' +
        'Delete from here to the end of the file, or move that document into a config file of its own.',
      '  3 | seed: 1',
      '  4 | ---',
      '    | ^',
    ]);
    // After an explicit end marker the next document need not start with ---.
    expect((await report('name: golden\n...\nname: other\n'))[0]).toMatch(/^configs\/g\.yaml:3:1 a second YAML document starts here/);
  });
});
