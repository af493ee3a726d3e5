import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { greyBytes, imageDataUrl } from './grey-image.js';

describe('greyBytes', () => {
  it('maps the given range to black..white and clamps outside it', () => {
    expect([...greyBytes({ width: 5, height: 1, pixels: [-2, -1, 0, 1, 2], range: [-1, 1] })]).toEqual([0, 0, 128, 255, 255]);
  });

  it('stretches the image’s own minimum and maximum when no range is given', () => {
    expect([...greyBytes({ width: 3, height: 1, pixels: [10, 15, 20] })]).toEqual([0, 128, 255]);
  });

  it('draws a flat image black instead of dividing by zero', () => {
    expect([...greyBytes({ width: 2, height: 1, pixels: [0.5, 0.5] })]).toEqual([0, 0]);
  });
});

describe('imageDataUrl', () => {
  it('is a base64 PNG data URL holding the image', () => {
    const url = imageDataUrl({ width: 2, height: 2, pixels: [0, 1, 1, 0], range: [0, 1] });
    expect(url).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect([...raw]).toEqual([0, 0, 255, 0, 255, 0]);
  });
});
