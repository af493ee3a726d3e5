import type { PixelImage } from '@scratchnet/datasets';
import { DataFormatError } from '@scratchnet/spec';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
/** Every JPEG starts with an SOI marker followed by another marker. */
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** Phone photos are up to ~50 megapixels; beyond that a "JPEG" is more likely an attack on memory. */
const MAX_JPEG_MEGAPIXELS = 100;

export function isPng(bytes: Uint8Array): boolean {
  return PNG_MAGIC.every((byte, i) => bytes[i] === byte);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return JPEG_MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Decodes a PNG (any colour type) into RGBA pixels; bytes that do not decode are a data error. */
export function decodePng(bytes: Uint8Array, file: string): PixelImage {
  try {
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data, channels: 4 };
  } catch (error) {
    throw new DataFormatError({ file }, 'a PNG image', `bytes that do not decode as PNG (${(error as Error).message})`);
  }
}

/** Decodes a baseline or progressive JPEG into RGBA pixels; bytes that do not decode are a data error. */
export function decodeJpeg(bytes: Uint8Array, file: string): PixelImage {
  try {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_JPEG_MEGAPIXELS });
    if (image.width < 1 || image.height < 1 || image.data.length < image.width * image.height * 4) {
      throw new Error(`no image data for ${image.width}x${image.height} pixels`);
    }
    return { width: image.width, height: image.height, data: image.data, channels: 4 };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataFormatError({ file }, 'a JPEG image', `bytes that do not decode as JPEG (${reason})`);
  }
}
