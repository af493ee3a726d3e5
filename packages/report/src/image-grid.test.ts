import { describe, expect, it } from 'vitest';
import { imageGrid } from './image-grid.js';

describe('imageGrid', () => {
  const image = { width: 28, height: 28, pixels: new Float32Array(28 * 28), range: [0, 1] as const };

  it('draws each image as an inline PNG scaled to the requested size, with caption and alt text', () => {
    const html = imageGrid([{ image, alt: 'a 3 read as 5', caption: '3 → 5', detail: '97.1%' }], { label: 'Misclassified' });
    expect(html).toMatch(/^<ul class="sn-images" role="list" aria-label="Misclassified">/);
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/]+=*" width="56" height="56" alt="a 3 read as 5">/);
    expect(html).toContain('<figcaption>3 → 5<span class="sn-detail">97.1%</span></figcaption>');
  });

  it('keeps the aspect ratio of non-square images and leaves out an empty caption', () => {
    const wide = { width: 8, height: 4, pixels: new Uint8Array(32) };
    const html = imageGrid([{ image: wide, alt: 'wide' }], { size: 40 });
    expect(html).toContain('width="40" height="20" alt="wide"');
    expect(html).not.toContain('<figcaption>');
  });

  it('escapes captions and alt text', () => {
    const html = imageGrid([{ image, alt: '"><script>', caption: '<b>' }]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('alt="&quot;&gt;&lt;script&gt;"');
    expect(html).toContain('<figcaption>&lt;b&gt;</figcaption>');
  });
});
