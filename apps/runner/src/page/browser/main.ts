// The page's entry: fetch the model folder's files from the server, load them with the same
// packages the runner uses, and classify what the person draws or opens, as they draw.
import { imageSize } from '@scratchnet/datasets';
import { precompiledCompiler, type PrecompiledValidator } from '@scratchnet/registry';
import { createBackend } from '@scratchnet/tensor';
import { createDrawPad } from './draw-pad.js';
import { createPageRegistry, loadPageModel, type PageModel } from '../page-model.js';
import { createResultView } from './view.js';

/** Made by `runner serve` from the same plugins (ajv standalone code: no eval in the browser). */
const VALIDATORS_URL = '/validators.js';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page lacks #${id}`);
  return node as T;
}

async function fetchOk(path: string): Promise<Response> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  return response;
}

async function loadModelFromServer(): Promise<{ model: PageModel; backend: string; flavour: string }> {
  const [modelJson, weights, input, module] = await Promise.all([
    fetchOk('/model/model.json').then((r) => r.text()),
    fetchOk('/model/weights.safetensors').then(async (r) => new Uint8Array(await r.arrayBuffer())),
    fetch('/model/input.json').then((r) => (r.ok ? r.json() : undefined)),
    import(VALIDATORS_URL) as Promise<{ validators: Record<string, PrecompiledValidator> }>,
  ]);
  const registry = createPageRegistry({ compile: precompiledCompiler(module.validators) });
  const backend = createBackend('auto');
  // Relaxed SIMD fuses multiply-adds: probabilities then differ from plain SIMD's in the 7th digit.
  const flavour = 'flavour' in backend ? String(backend.flavour) : 'js';
  const kernels = flavour === 'js' ? backend.name : `${backend.name} (${flavour === 'relaxed-simd' ? 'relaxed SIMD' : 'SIMD'})`;
  return { model: loadPageModel({ modelJson, weights, ...(input === undefined ? {} : { input }) }, registry, backend), backend: kernels, flavour };
}

/** Decodes an image file without colour management, so its pixels are the file's own. */
async function decodePicture(file: Blob): Promise<{ bitmap: ImageBitmap; pixels: ImageData }> {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('this browser gives no 2D canvas');
  context.drawImage(bitmap, 0, 0);
  return { bitmap, pixels: context.getImageData(0, 0, bitmap.width, bitmap.height) };
}

async function start(): Promise<void> {
  const status = byId('status');
  const { model, backend, flavour } = await loadModelFromServer();
  document.body.dataset.kernels = flavour;
  const { rows, cols } = imageSize(model.format.sampleShape);
  byId('model-name').textContent = model.name;
  status.textContent = `${model.classNames.length} classes, input ${rows}x${cols}, running in this browser on the ${backend} kernels.`;
  const view = createResultView(model, byId('bars'), byId('verdict'), byId<HTMLCanvasElement>('seen'));
  const pad = createDrawPad(byId<HTMLCanvasElement>('pad'), () => view.show(model.classify(pad.pixels())));
  view.show(undefined);

  const open = async (file: Blob | undefined): Promise<void> => {
    if (file === undefined) return;
    try {
      const { bitmap, pixels } = await decodePicture(file);
      pad.show(bitmap);
      view.show(model.classify(pixels));
      status.textContent = `Opened ${file instanceof File ? file.name : 'a picture'}: ${bitmap.width}x${bitmap.height} pixels.`;
    } catch (error) {
      status.textContent = `Cannot read that file as a PNG or JPEG picture (${(error as Error).message}).`;
    }
  };
  byId('clear').addEventListener('click', () => pad.clear());
  const picker = byId<HTMLInputElement>('open');
  picker.addEventListener('change', () => void open(picker.files?.[0]).finally(() => (picker.value = '')));
  const padCanvas = byId('pad');
  padCanvas.addEventListener('dragover', (event) => event.preventDefault());
  padCanvas.addEventListener('drop', (event) => {
    event.preventDefault();
    void open(event.dataTransfer?.files[0]);
  });
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  const status = document.getElementById('status');
  if (status !== null) status.textContent = `The model did not load: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset.ready = 'failed';
});
