import { describe, expect, it } from 'vitest';
import type { SweepReportData, SweepTrialSummary } from './sweep-report-data.js';
import { renderSweepReport } from './sweep-report.js';
import { syntheticSweep } from './test-sweep.js';
import { badCoordinates } from './test-svg.js';

// The sweep page's version of report-safety.test.ts. The one difference: a sweep page links to
// its trials' own reports, so it may hold hrefs, but only relative ones inside the sweep folder's
// reach (no scheme, not rooted), never to another site.

const HOSTILE = `<script>alert("x")</script>'"&`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;';

function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/http/i);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/<link|<iframe|<object|<embed|<base|<meta http|<img/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no event handler attributes
  expect(html).not.toMatch(/\ssrc\s*=/i);
  expect(html).not.toMatch(/url\(/i);
  for (const [, href] of html.matchAll(/\shref\s*=\s*"([^"]*)"/gi)) {
    expect(href, href).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(href, href).not.toMatch(/^[/\\]/);
  }
  // Every href sits in a plain <a href="..."> the page wrote itself.
  expect(html.match(/href/gi)?.length ?? 0).toBe(html.match(/<a href="[^"]*">/g)?.length ?? 0);
}

function hostileSweep(): SweepReportData {
  const base = syntheticSweep();
  const path = `model.${HOSTILE}`;
  const trials = base.trials.map(
    (trial, i): SweepTrialSummary => ({
      ...trial,
      id: i === 0 ? HOSTILE : `${trial.id}"'`,
      parameters: { 'schedule.learningRate': trial.parameters['schedule.learningRate'], [path]: i % 3 === 0 ? HOSTILE : i % 3 === 1 ? { type: HOSTILE } : { [HOSTILE]: HOSTILE } },
      ...(trial.error === undefined ? {} : { error: HOSTILE }),
      ...(i === 1 ? { report: 'javascript:alert(1)' } : i === 2 ? { report: 'https://example.org/r.html' } : i === 3 ? { report: '//example.org/r.html' } : i === 4 ? { report: `trials/${HOSTILE}/report.html` } : {}),
    }),
  );
  return {
    ...base,
    name: HOSTILE,
    base: HOSTILE,
    metric: { name: `${HOSTILE}accuracy`, goal: 'maximize' },
    earlyTermination: HOSTILE,
    createdAt: HOSTILE,
    parameters: ['schedule.learningRate', path],
    trials,
    versions: { [HOSTILE]: HOSTILE },
  };
}

describe('a sweep report is self-contained and safe', () => {
  it('refers to nothing outside itself and runs no script', () => {
    expectSelfContained(renderSweepReport(syntheticSweep()));
  });

  it('escapes the name, base, metric, rule, parameter paths and values, ids, errors and versions wherever they appear', () => {
    const data = hostileSweep();
    const html = renderSweepReport(data);
    expectSelfContained(html);
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(`<h1>${ESCAPED}</h1>`);
    expect(html).toContain(`<title>${ESCAPED} · scratchnet sweep report</title>`);
    // In the charts: axis labels, categories, tooltips and legends.
    expect(html).toContain(`font-weight="600">model.${ESCAPED}</text>`);
    expect(html).toMatch(new RegExp(`<title>${ESCAPED.replace(/[&;()/]/g, (c) => `\\${c}`)}: schedule\\.learningRate = `));
    expect(badCoordinates(html)).toEqual([]);
  });

  it('links only relative reports, never a scheme or another host, and escapes what it links', () => {
    const html = renderSweepReport(hostileSweep());
    expect(html).not.toContain('javascript');
    expect(html).not.toContain('example.org');
    // Segment by segment: the "/" inside the hostile name stays a separator.
    expect(html).toContain('<a href="trials/%3Cscript%3Ealert(%22x%22)%3C/script%3E&#39;%22%26/report.html">');
  });
});

describe('a sweep report reads well in light, dark and print', () => {
  const html = renderSweepReport(syntheticSweep());

  it('uses the run report page and chart styles', () => {
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toMatch(/@media screen and \(prefers-color-scheme: dark\) \{\s*:root \{[^}]*--sn-bg:/);
    expect(html).toMatch(/\.sn-s0 \{ --c: #60a5fa; \}/);
    expect(html).toMatch(/@media print \{[\s\S]*figure, \.sn-chart, tr/);
  });

  it('gives every chart an accessible name and description', () => {
    const svgs = [...html.matchAll(/<svg id="([^"]+)" class="sn-chart[^"]*"[^>]*>/g)];
    expect(svgs.length).toBe(5);
    for (const [open, id] of svgs) {
      expect(open).toContain(`role="img" aria-labelledby="${id}-title ${id}-desc"`);
      expect(html).toMatch(new RegExp(`<desc id="${id}-desc">[^<]{20,}</desc>`));
    }
  });
});
