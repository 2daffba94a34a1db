// The spec builders: snapshot tests (test/plots/__snapshots__/*.json; regenerate with
// UPDATE_SNAPSHOTS=1 after an intended change, and review the diff) plus checks that each spec
// compiles and renders to SVG offline.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { classBalanceSpec, topValuesSpec } from '../../src/plots/bar-chart.ts';
import { confusionMatrixSpec } from '../../src/plots/confusion-matrix.ts';
import { distributionComparisonSpec } from '../../src/plots/distribution-comparison.ts';
import { correlationHeatmapSpec } from '../../src/plots/heatmap.ts';
import { histogramSpec } from '../../src/plots/histogram.ts';
import { predictedActualSpec } from '../../src/plots/predicted-actual.ts';
import { renderPng, renderSvg } from '../../src/plots/render.ts';
import { rocCurveSpec } from '../../src/plots/roc-curve.ts';
import { scoreComparisonSpec } from '../../src/plots/score-comparison.ts';
import type { VegaLiteSpec } from '../../src/plots/spec.ts';

const SNAPSHOTS = new URL('./__snapshots__/', import.meta.url);

function matchSnapshot(name: string, spec: VegaLiteSpec): void {
  const file = new URL(`${name}.json`, SNAPSHOTS);
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(SNAPSHOTS, { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `no snapshot ${name}.json: run with UPDATE_SNAPSHOTS=1 and review it`);
  assert.equal(
    text,
    readFileSync(file, 'utf8'),
    `spec '${name}' changed; if intended, run with UPDATE_SNAPSHOTS=1`,
  );
}

const specs: Record<string, VegaLiteSpec> = {
  histogram: histogramSpec({ edges: [0, 10, 20, 30], counts: [4, 9, 2] }, { title: 'age', xTitle: 'age' }),
  'histogram-temporal': histogramSpec(
    { edges: [Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)], counts: [31, 29] },
    { xTitle: 'signup', temporal: true, width: 200, height: 100 },
  ),
  'top-values': topValuesSpec(
    [
      { value: 'Paris', count: 50 },
      { value: 'Lyon', count: 25 },
      { value: true, count: 3 },
    ],
    { title: 'city' },
  ),
  'class-balance': classBalanceSpec(
    [
      { value: 'no', count: 800 },
      { value: 'yes', count: 200 },
    ],
    { title: 'churned' },
  ),
  'correlation-heatmap': correlationHeatmapSpec(
    ['a', 'b', 'c'],
    [
      [1, 0.8, -0.3],
      [0.8, 1, null],
      [-0.3, null, 1],
    ],
    { title: 'Pearson r' },
  ),
  'roc-curve': rocCurveSpec({ fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] }, { auc: 0.875, title: 'ROC' }),
  'confusion-matrix': confusionMatrixSpec(
    ['no', 'yes'],
    [
      [50, 3],
      [7, 40],
    ],
    { title: 'Confusion matrix' },
  ),
  'predicted-actual': predictedActualSpec([1, 2, 3, 4], [1.5, 1.75, 3.25, 5], { title: 'price' }),
  'distribution-bins': distributionComparisonSpec(
    { kind: 'bins', edges: [0, 10, 20, 30], reference: [0.25, 0.5, 0.25], current: [0.125, 0.375, 0.5] },
    { xTitle: 'age' },
  ),
  'distribution-levels': distributionComparisonSpec(
    {
      kind: 'levels',
      levels: ['basic', 'pro', '(other)'],
      reference: [0.5, 0.375, 0.125],
      current: [0.25, 0.625, 0.125],
    },
    { xTitle: 'plan' },
  ),
  'score-comparison': scoreComparisonSpec(
    [
      { label: 'gbdt', score: 0.875, std: 0.0625, best: true },
      { label: 'logistic', score: 0.75, std: 0.125 },
      { label: 'knn', score: 0.625, std: null },
    ],
    { xTitle: 'ROC AUC' },
  ),
};

describe('plot specs (snapshots)', () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name} matches its snapshot`, () => matchSnapshot(name, spec));
  }

  it('draw exactly the data they are given', () => {
    const h = specs.histogram as unknown as {
      data: { values: { start: number; end: number; count: number }[] };
    };
    assert.deepEqual(h.data.values, [
      { start: 0, end: 10, count: 4 },
      { start: 10, end: 20, count: 9 },
      { start: 20, end: 30, count: 2 },
    ]);
    const c = specs['class-balance'] as unknown as { data: { values: { label: string; share: number }[] } };
    assert.deepEqual(
      c.data.values.map((v) => [v.label, v.share]),
      [
        ['no', 0.8],
        ['yes', 0.2],
      ],
    );
    const m = specs['correlation-heatmap'] as unknown as {
      data: { values: { a: string; b: string; r: number | null }[] };
    };
    assert.equal(m.data.values.length, 9);
    assert.deepEqual(m.data.values[5], { a: 'b', b: 'c', r: null });
    const cm = specs['confusion-matrix'] as unknown as {
      data: { values: { truth: string; predicted: string; count: number }[] };
    };
    assert.deepEqual(cm.data.values[2], { truth: 'yes', predicted: 'no', count: 7 });
    const pa = specs['predicted-actual'] as unknown as {
      layer: { data: { values: { actual: number; predicted: number }[] } }[];
    };
    // the identity line spans the range of both the truth and the predictions
    assert.deepEqual(pa.layer[0].data.values, [
      { actual: 1, predicted: 1 },
      { actual: 5, predicted: 5 },
    ]);
    assert.equal(pa.layer[1].data.values.length, 4);
    const sc = specs['score-comparison'] as unknown as {
      data: { values: { label: string; lo: number; hi: number; best: boolean }[] };
    };
    assert.deepEqual(
      sc.data.values.map((v) => [v.label, v.lo, v.hi, v.best]),
      [
        ['gbdt', 0.8125, 0.9375, true],
        ['logistic', 0.625, 0.875, false],
        ['knn', 0.625, 0.625, false],
      ],
    );
  });

  it('draw at most maxPoints points of predictions against truth', () => {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => i);
    const spec = predictedActualSpec(y, y, { maxPoints: 500 }) as unknown as {
      layer: { data: { values: unknown[] } }[];
    };
    assert.equal(spec.layer[1].data.values.length, 500);
  });

  it('reject inputs that do not fit, naming the problem', () => {
    assert.throws(() => histogramSpec({ edges: [0, 1], counts: [1, 2] }), ValidationError);
    assert.throws(() => topValuesSpec([]), /nothing to draw/);
    assert.throws(() => correlationHeatmapSpec(['a', 'b'], [[1]]), /2×2 matrix/);
    assert.throws(() => rocCurveSpec({ fpr: [0], tpr: [0] }), /at least 2 points/);
    assert.throws(() => confusionMatrixSpec(['a', 'b'], [[1, 2]]), /2×2 matrix of counts/);
    assert.throws(() => predictedActualSpec([1, 2], [1]), /as many predictions as true values/);
    assert.throws(() => scoreComparisonSpec([{ label: 'x', score: Number.NaN, std: null }]), /finite score/);
    assert.throws(
      () =>
        distributionComparisonSpec({
          kind: 'levels',
          levels: ['a', 'b'],
          reference: [1],
          current: [0.5, 0.5],
        }),
      /one share per level in both samples; got 1 and 2 for 2/,
    );
  });
});

describe('renderSvg and renderPng (offline)', () => {
  it('render every spec to SVG with its marks and labels', async () => {
    for (const [name, spec] of Object.entries(specs)) {
      const svg = await renderSvg(spec);
      assert.match(svg, /^<svg[^>]* width="\d+" height="\d+"/, name);
      assert.match(svg, /<\/svg>$/, name);
      // No resource is referenced: the only URLs are the SVG/XLink namespace names.
      const urls = svg.match(/https?:\/\/[^"' )]+/g) ?? [];
      assert.deepEqual(
        [...new Set(urls)].sort(),
        ['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg'],
        name,
      );
      assert.doesNotMatch(svg, /<image|href="(?!#)/, name);
    }
    const hist = await renderSvg(specs.histogram);
    assert.equal((hist.match(/<path[^>]*aria-roledescription="bar"/g) ?? []).length, 3, 'one bar per bin');
    const bars = await renderSvg(specs['top-values']);
    for (const label of ['Paris', 'Lyon', 'true', 'city']) assert.ok(bars.includes(`>${label}<`), label);
    const heat = await renderSvg(specs['correlation-heatmap']);
    assert.ok(heat.includes('>0.80<') && heat.includes('>−0.30<'), 'cell labels are printed');
    assert.ok(!heat.includes('>null<'), 'undefined cells are left blank');
  });

  it('refuse a spec that would load data from a URL or a file', async () => {
    const spec = { ...specs.histogram, data: { url: 'https://example.com/data.json' } } as VegaLiteSpec;
    await assert.rejects(renderSvg(spec), /render offline.*example\.com/);
    const file = { ...specs.histogram, data: { url: 'data.csv' } } as VegaLiteSpec;
    await assert.rejects(renderSvg(file), /render offline/);
  });

  it('report an invalid spec as a ValidationError', async () => {
    await assert.rejects(
      renderSvg({ mark: 'bar', encoding: { x: { field: 'a', type: 'nonsense' } } } as never),
      ValidationError,
    );
  });

  it('render a PNG of the requested scale', async () => {
    const png = await renderPng(specs['class-balance'], { scale: 1 });
    assert.deepEqual(
      [...png.subarray(0, 8)],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      'PNG signature',
    );
    const view = new DataView(png.buffer, png.byteOffset);
    const w1 = view.getUint32(16);
    const png2 = await renderPng(specs['class-balance'], { scale: 2 });
    const w2 = new DataView(png2.buffer, png2.byteOffset).getUint32(16);
    assert.equal(w2, 2 * w1);
    await assert.rejects(renderPng(specs.histogram, { scale: 0 }), /scale must be in/);
  });
});
