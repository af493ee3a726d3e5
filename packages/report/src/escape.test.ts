import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('leaves other text, including non-ASCII, as it is', () => {
    expect(escapeHtml('epoch 3 → 5 · 97%')).toBe('epoch 3 → 5 · 97%');
  });

  it('escapes an ampersand once, so entities in user text show literally', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});
