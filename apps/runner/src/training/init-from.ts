import { formatShape, shapesEqual } from '@scratchnet/tensor';
import type { Network } from '@scratchnet/train';
import { selectBackend } from '../backend.js';
import { usageError } from '../exit-codes.js';
import { readModelDir } from '../run-dir/model-files.js';

/**
 * `runner train CONFIG --init-from MODEL_DIR`: starts training from a model folder's weights (a
 * trained run's model/, or one `runner import` wrote) instead of the config's initialisers, to
 * fine-tune it. The config must build the same network: every parameter and layer-state tensor
 * of the same name and shape; anything else is a usage error (exit 2) listing the differences,
 * since a partial load would train a different model than the one asked for. A folder that cannot
 * be read is exit 3, as for eval. Only the weights come over: the optimiser starts afresh, and the
 * preprocessing and class names are the config's.
 */
export async function initFromModel(network: Network, modelDir: string, cwd: string): Promise<void> {
  const backend = selectBackend('js');
  try {
    const { loaded } = await readModelDir(modelDir, cwd, { backend });
    const source = [...loaded.network.parameters, ...loaded.network.state];
    const target = [...network.parameters, ...network.state];
    const byName = new Map(source.map((t) => [t.name, t.value]));
    const problems: string[] = [];
    for (const { name, value } of target) {
      const found = byName.get(name);
      if (found === undefined) problems.push(`${name}: the config's model has ${formatShape(value.shape)}, the model folder none`);
      else if (!shapesEqual(found.shape, value.shape)) problems.push(`${name}: the config's model has ${formatShape(value.shape)}, the model folder ${formatShape(found.shape)}`);
    }
    const names = new Set(target.map((t) => t.name));
    for (const { name, value } of source) if (!names.has(name)) problems.push(`${name}: the model folder has ${formatShape(value.shape)}, the config's model none`);
    if (problems.length > 0) {
      throw usageError(
        `--init-from ${modelDir}: the config's model does not match the model folder's (${problems.slice(0, 5).join('; ')}` +
          `${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}). Give model: the same input and layers as ${modelDir}/model.json.`,
      );
    }
    for (const { name, value } of target) value.data.set(byName.get(name)!.data);
  } finally {
    await backend.dispose();
  }
}
