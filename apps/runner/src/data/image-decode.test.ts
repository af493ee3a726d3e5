import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodePng, isJpeg, isPng } from './image-decode.js';

function greyPixels(width: number, height: number): Uint8Array {
  return Uint8Array.from({ length: width * height * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i >> 2) % 2 === 0 ? 0 : 255));
}

describe('decodePng and decodeJpeg', () => {
  it('give RGBA pixels and are told apart by their bytes', () => {
    const png = new pngjs.PNG({ width: 4, height: 2 });
    png.data.set(greyPixels(4, 2));
    const pngBytes = new Uint8Array(pngjs.PNG.sync.write(png));
    const jpegBytes = new Uint8Array(jpeg.encode({ width: 16, height: 8, data: greyPixels(16, 8) }, 90).data);
    expect([isPng(pngBytes), isJpeg(pngBytes), isPng(jpegBytes), isJpeg(jpegBytes)]).toEqual([true, false, false, true]);
    expect(decodePng(pngBytes, 'a.png')).toMatchObject({ width: 4, height: 2, channels: 4 });
    const decoded = decodeJpeg(jpegBytes, 'a.jpg');
    expect(decoded).toMatchObject({ width: 16, height: 8, channels: 4 });
    expect(decoded.data.length).toBe(16 * 8 * 4);
  });

  it('reject bytes that do not decode with a data error naming the file', () => {
    expect(() => decodePng(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'bad.png')).toThrow(/^bad\.png: expected a PNG image/);
    expect(() => decodeJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'bad.jpg')).toThrow(/^bad\.jpg: expected a JPEG image/);
  });
});
