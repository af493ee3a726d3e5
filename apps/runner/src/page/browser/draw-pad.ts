// The drawing surface: pointer events (mouse, pen and finger alike) drawn as round strokes of
// dark ink on white paper, the way a digit is written on paper.

export interface DrawPad {
  clear(): void;
  /** Shows a picture (an opened image file) scaled to fit, replacing the drawing. */
  show(picture: ImageBitmap): void;
  /** The pad's pixels, RGBA. */
  pixels(): ImageData;
}

/** Pen width as a fraction of the pad: a digit drawn to fill the pad gets MNIST's stroke width. */
const PEN = 1 / 14;

export function createDrawPad(canvas: HTMLCanvasElement, onChange: () => void): DrawPad {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('this browser gives no 2D canvas');
  const paper = (): void => {
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
  };
  paper();
  context.lineCap = 'round';
  context.lineJoin = 'round';
  let last: { x: number; y: number } | undefined;
  let pending = false;

  // Coalesce redraw requests to one per frame: classification runs at most once per frame.
  const changed = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      onChange();
    });
  };
  const point = (event: PointerEvent): { x: number; y: number } => {
    const box = canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) * canvas.width) / box.width, y: ((event.clientY - box.top) * canvas.height) / box.height };
  };
  const stroke = (to: { x: number; y: number }): void => {
    const from = last ?? to;
    context.strokeStyle = '#111111';
    context.lineWidth = canvas.width * PEN;
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x + (from === to ? 0.01 : 0), to.y);
    context.stroke();
    last = to;
    changed();
  };

  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    stroke(point(event));
  });
  canvas.addEventListener('pointermove', (event) => {
    if (last !== undefined) stroke(point(event));
  });
  const end = (): void => {
    last = undefined;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    clear() {
      paper();
      changed();
    },
    show(picture) {
      paper();
      const scale = Math.min(canvas.width / picture.width, canvas.height / picture.height);
      const width = picture.width * scale;
      const height = picture.height * scale;
      context.imageSmoothingQuality = 'high';
      context.drawImage(picture, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height);
    },
    pixels: () => context.getImageData(0, 0, canvas.width, canvas.height),
  };
}
