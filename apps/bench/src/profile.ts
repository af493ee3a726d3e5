// One recipe alone, for profiling: node --cpu-prof dist/profile.js <recipe> <js|wasm> [samples] [threads]
import { createBackend } from '@scratchnet/tensor';
import { createNodeBackend } from '@scratchnet/tensor/node';
import { loadMnist } from './mnist.js';
import { RECIPES } from './recipes.js';
import { builtinRegistry, trainScratchnet } from './scratchnet-train.js';

const [recipeName = 'mlp-small', kind = 'wasm', samples = '60000', threads = '1'] = process.argv.slice(2);
const recipe = RECIPES.find((r) => r.name === recipeName);
if (recipe === undefined) throw new Error(`unknown recipe ${recipeName}; expected ${RECIPES.map((r) => r.name).join(' or ')}`);
const data = await loadMnist();
const registry = builtinRegistry();
const single = createBackend(kind as 'js' | 'wasm');
const backend = threads === '1' ? single : createNodeBackend(kind as 'js' | 'wasm', { threads: Number(threads) });
// As the bench's threaded row: a data-parallel recipe runs its shards in worker threads over a one-thread backend.
const options = { registry, backend, dataBackend: single, threads: Number(threads), train: data.bytes.train, test: data.bytes.test, seed: 1, evaluateTest: false };
await trainScratchnet(recipe, { ...options, samples: 10240 });
const run = await trainScratchnet(recipe, { ...options, samples: Number(samples), evaluateTest: true });
process.stdout.write(`${recipe.name} ${backend.name} threads ${threads}: ${Math.round(run.samplesPerSecond)} samples/s, test accuracy ${run.testAccuracy}\n`);
void backend.dispose();
