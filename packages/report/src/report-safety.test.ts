import { describe, expect, it } from 'vitest';
import { renderComparison } from './comparison.js';
import type { ComparedRun, RunReport } from './report-data.js';
import { renderRunReport } from './run-report.js';
import { syntheticEpochs, syntheticReport } from './test-synthetic.js';

const HOSTILE = `<script>alert("x")</script>'"&`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;';

/**
 * The page without its base64 image payloads: random base64 can spell "http" or "url(" by
 * chance, and those letters are pixels, not references.
 */
const withoutImageData = (html: string): string => html.replace(/data:image\/png;base64,[A-Za-z0-9+/]+=*/g, 'data:image/png;base64,');

function expectSelfContained(html: string): void {
  const text = withoutImageData(html);
  expect(text).not.toMatch(/http/i);
  expect(text).not.toMatch(/<script/i);
  expect(text).not.toMatch(/@import/i);
  expect(text).not.toMatch(/<link|<iframe|<object|<embed|<base|<meta http/i);
  expect(text).not.toMatch(/\son[a-z]+\s*=/i); // no event handler attributes
  expect(text).not.toMatch(/\shref\s*=/i);
  for (const [, target] of text.matchAll(/url\(\s*['"]?([^'")]*)/gi)) expect(target).toMatch(/^data:/);
  for (const [, target] of text.matchAll(/\ssrc\s*=\s*"([^"]*)"/gi)) expect(target).toBe('data:image/png;base64,');
}

function hostileReport(): RunReport {
  const base = syntheticReport();
  const test = base.test!;
  return {
    ...base,
    name: HOSTILE,
    runDir: `runs/${HOSTILE}`,
    note: HOSTILE,
    configYaml: `name: "${HOSTILE}"\n# </pre></details><script>alert(1)</script>\n`,
    backend: HOSTILE,
    versions: { [HOSTILE]: HOSTILE },
    machine: { platform: HOSTILE, arch: 'x64', cpus: 2, cpuModel: HOSTILE },
    layers: [{ index: 0, type: HOSTILE, outputShape: [10], parameters: 1 }],
    test: {
      ...test,
      classNames: test.classNames.map((name, i) => (i === 3 ? HOSTILE : name)),
      misclassified: test.misclassified.map((s) => ({ ...s, label: HOSTILE })),
    },
    firstLayer: { ...base.firstLayer!, layer: HOSTILE, caption: HOSTILE },
  };
}

describe('a report is self-contained and safe', () => {
  it('a run report refers to nothing outside itself and runs no script', () => {
    expectSelfContained(renderRunReport(syntheticReport()));
  });

  it('a comparison page refers to nothing outside itself', () => {
    const runs: ComparedRun[] = ['a', 'b'].map((name) => ({ name, runDir: `runs/${name}`, status: 'completed', config: { name }, epochs: syntheticEpochs(3) }));
    expectSelfContained(renderComparison(runs));
  });

  it('escapes names, notes, YAML, class names and versions wherever they appear', () => {
    const html = renderRunReport(hostileReport());
    expectSelfContained(html);
    expect(html).not.toContain('</pre></details><script>');
    expect(html).toContain(`<h1>${ESCAPED}<span`);
    expect(html).toContain(`<title>${ESCAPED} · scratchnet run report</title>`);
    expect(html).toContain('# &lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // In attributes (alt text) the quotes must be escaped too, or they would end the attribute.
    expect(html).toMatch(new RegExp(`alt="Test sample \\d+: a ${ESCAPED.replace(/[&;()/]/g, (c) => `\\${c}`)} the model read as`));
  });

  it('escapes hostile run names and titles in a comparison', () => {
    const runs: ComparedRun[] = [HOSTILE, 'b'].map((name) => ({ name, runDir: name, status: 'completed', config: { name, [HOSTILE]: name }, epochs: syntheticEpochs(2) }));
    const html = renderComparison(runs, { title: HOSTILE });
    expectSelfContained(html);
    expect(html).toContain(`<h1>${ESCAPED}</h1>`);
  });
});

describe('a report reads well in light, dark and print', () => {
  const html = renderRunReport(syntheticReport());

  it('follows the colour scheme through custom properties, with dark values for screens only', () => {
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toMatch(/@media screen and \(prefers-color-scheme: dark\) \{\s*:root \{[^}]*--sn-bg:/);
    expect(html).toMatch(/\.sn-s0 \{ --c: #60a5fa; \}/);
  });

  it('keeps charts, table rows and images whole when printed', () => {
    const print = /@media print \{([\s\S]*?)\n\}/.exec(html)?.[1] ?? '';
    expect(print).toMatch(/figure, \.sn-chart, tr, \.sn-images li, \.sn-stats div \{ break-inside: avoid; \}/);
    expect(print).toContain('background: #ffffff');
  });
});

describe('report size', () => {
  it('an MNIST report (30 epochs, 100 misclassified and 64 first-layer 28x28 images) stays well under 2 MB', () => {
    const report = syntheticReport();
    expect(report.epochs).toHaveLength(30);
    expect(report.test!.misclassified).toHaveLength(100);
    expect(report.firstLayer!.images).toHaveLength(64);
    const bytes = new TextEncoder().encode(renderRunReport(report)).length;
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    // Far below the limit: about 1.2 KB of PNG per 28x28 image; a jump means something bloated.
    expect(bytes).toBeLessThan(500 * 1024);
  });
});
