/**
 * Clears small isolated blobs of ink (paper texture, dust, sensor noise that survived the
 * threshold): 8-connected blobs of non-zero ink whose ink mass is under 5% of the largest
 * blob's and under 1/1000 of the picture's area. Both limits must hold, so the parts of a digit
 * written in separate strokes stay, and small clean pictures (a 28x28 MNIST digit) lose nothing.
 */
export function dropSpecks(ink: Float32Array, width: number, height: number): Float32Array {
  const label = new Int32Array(ink.length).fill(-1);
  const masses: number[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (ink[start]! <= 0 || label[start] !== -1) continue;
    const id = masses.length;
    let mass = 0;
    label[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      mass += ink[i]!;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (ink[j]! <= 0 || label[j] !== -1) continue;
          label[j] = id;
          stack.push(j);
        }
      }
    }
    masses.push(mass);
  }
  const largest = masses.reduce((a, b) => Math.max(a, b), 0);
  const keep = masses.map((mass) => mass >= 0.05 * largest || mass >= (width * height) / 1000);
  return ink.map((v, i) => (label[i]! >= 0 && keep[label[i]!] ? v : 0));
}
