// TPE settings on cheap synthetic objectives (Lathe only, no anchor): the screening behind the
// sampler defaults in docs/tuning.md. Five shapes — four over the five gbdt parameters of
// bench/tpe.ts (50 trials) and one over twelve mixed parameters (100 trials) — each maximised
// (optimum 0) by every named option set over --seeds seeds; prints the mean ± standard error and
// the median of the best value so far at each checkpoint.
//
//   node --import tsx bench/tpe-shapes.ts                        (seeds 0–99, Lathe vs Optuna 3.1 settings)
//   node --import tsx bench/tpe-shapes.ts --seeds 20 --shapes bowl,wide12
//   node --import tsx bench/tpe-shapes.ts --variants '{"uni":{"multivariate":false}}'
//
// Shapes: bowl (the bench's --synthetic function: a rotated log-scale bowl), ridge (an off-centre
// optimum on a learning-rate × iterations trade-off, as in boosting), wavy (the bowl plus cosine
// ripples: local optima), leaves (absolute-value kinks in the integer parameters), wide12 (six
// log-floats of falling importance, two floats, three log-integers, a categorical, one interaction).

import { TPESampler, type TPESamplerOptions } from '../src/select/samplers.ts';
import {
  categoricalDistribution,
  type Distribution,
  floatDistribution,
  intDistribution,
  type Params,
} from '../src/select/space.ts';
import { Study } from '../src/select/study.ts';

const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const nSeeds = Number(flag('seeds', '100'));
const variants = JSON.parse(
  flag(
    'variants',
    JSON.stringify({
      'optuna 3.1': { startup: 'random', nStartupTrials: 10, multivariate: false, nEiCandidates: 24 },
      'lathe default': {},
    }),
  ),
) as Record<string, TPESamplerOptions>;

const gbdtSpace: Record<string, Distribution> = {
  learningRate: floatDistribution(0.01, 0.3, { log: true }),
  maxLeafNodes: intDistribution(8, 128, { log: true }),
  minSamplesLeaf: intDistribution(5, 100, { log: true }),
  l2Regularization: floatDistribution(1e-6, 10, { log: true }),
  maxIter: intDistribution(50, 500, { log: true }),
};
const num = (p: Params, k: string): number => p[k] as number;
const z = (p: Params) => ({
  a: Math.log10(num(p, 'learningRate')) - Math.log10(0.05),
  b: Math.log2(num(p, 'maxLeafNodes')) - Math.log2(40),
  c: Math.log10(num(p, 'minSamplesLeaf')) - Math.log10(20),
  d: Math.log10(num(p, 'l2Regularization')) + 2,
  e: Math.log(num(p, 'maxIter')) - Math.log(200),
});

const wideSpace: Record<string, Distribution> = {};
for (let i = 0; i < 6; i++) wideSpace[`f${i}`] = floatDistribution(1e-4, 1, { log: true });
for (let i = 0; i < 2; i++) wideSpace[`u${i}`] = floatDistribution(-5, 5);
for (let i = 0; i < 3; i++) wideSpace[`k${i}`] = intDistribution(1, 200, { log: true });
wideSpace.c = categoricalDistribution(['a', 'b', 'c', 'd']);
const wideWeights = [3, 2, 1, 0.5, 0.2, 0.05];

interface Shape {
  space: Record<string, Distribution>;
  nTrials: number;
  f: (p: Params) => number;
}
const shapes: Record<string, Shape> = {
  bowl: {
    space: gbdtSpace,
    nTrials: 50,
    f: (p) => {
      const { a, b, c, d, e } = z(p);
      return -(a * a + (b * b) / 4 + c * c + 0.05 * d * d + (e * e) / 2 + 0.5 * a * e);
    },
  },
  ridge: {
    space: gbdtSpace,
    nTrials: 50,
    f: (p) => {
      const lr = Math.log10(num(p, 'learningRate'));
      const t = lr + Math.log10(num(p, 'maxIter')) - 1.3;
      const c = Math.log10(num(p, 'minSamplesLeaf')) - Math.log10(8);
      const b = Math.log2(num(p, 'maxLeafNodes')) - Math.log2(12);
      const l2 = Math.log10(num(p, 'l2Regularization'));
      return -(4 * t * t + 0.3 * (lr + 1.3) ** 2 + 0.5 * c * c + 0.1 * b * b + 0.02 * l2 * l2);
    },
  },
  wavy: {
    space: gbdtSpace,
    nTrials: 50,
    f: (p) => {
      const { a, b, c, d, e } = z(p);
      const r = a * a + (b * b) / 4 + c * c + 0.05 * d * d + (e * e) / 2;
      return -(r + 0.3 * (3 - Math.cos(6 * a) - Math.cos(3 * b) - Math.cos(5 * c)));
    },
  },
  leaves: {
    space: gbdtSpace,
    nTrials: 50,
    f: (p) => {
      const { a, e } = z(p);
      const ml = Math.abs(Math.log2(num(p, 'maxLeafNodes')) - 4.5);
      const ms = Math.abs(Math.log2(num(p, 'minSamplesLeaf')) - 5);
      return -(ml + 0.5 * ms + a * a + 0.3 * e * e);
    },
  },
  wide12: {
    space: wideSpace,
    nTrials: 100,
    f: (p) => {
      let s = 0;
      for (let i = 0; i < 6; i++) s += wideWeights[i] * (Math.log10(num(p, `f${i}`)) + 1 + 0.4 * i) ** 2;
      s += 0.2 * (num(p, 'u0') - 2) ** 2 + 0.05 * (num(p, 'u1') + 3) ** 2;
      const k0 = Math.log10(num(p, 'k0')) - 1.5;
      s += k0 * k0 + 0.3 * (Math.log10(num(p, 'k1')) - 0.5) ** 2 + 0.1 * (Math.log10(num(p, 'k2')) - 2) ** 2;
      s += 0.5 * (Math.log10(num(p, 'f0')) + 1) * k0;
      s += p.c === 'c' ? 0 : 0.5;
      return -s;
    },
  },
};
const names = flag('shapes', Object.keys(shapes).join(',')).split(',');

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const se = (a: number[]) =>
  Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / (a.length - 1) / a.length);
const median = (a: number[]) => {
  const s = a.slice().sort((x, y) => x - y);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

for (const name of names) {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown shape ${name}; use ${Object.keys(shapes).join(', ')}`);
  const checkpoints = [10, 25, 50, 100].filter((c) => c <= shape.nTrials);
  console.log(`\n${name} (${Object.keys(shape.space).length} parameters, ${nSeeds} seeds)`);
  console.log(`${''.padEnd(16)}${checkpoints.map((c) => `after ${c}`.padEnd(34)).join('')}`);
  for (const [label, options] of Object.entries(variants)) {
    const at: number[][] = checkpoints.map(() => []);
    for (let seed = 0; seed < nSeeds; seed++) {
      const study = new Study({ direction: 'maximize', sampler: new TPESampler({ ...options, seed }) });
      await study.optimize((t) => shape.f(t.params), { space: shape.space, nTrials: shape.nTrials });
      let best = Number.NEGATIVE_INFINITY;
      study.trials.forEach((t, i) => {
        best = Math.max(best, t.value ?? Number.NEGATIVE_INFINITY);
        const k = checkpoints.indexOf(i + 1);
        if (k >= 0) at[k].push(best);
      });
    }
    const cells = at.map((a) => `${mean(a).toFixed(4)} ± ${se(a).toFixed(4)} (med ${median(a).toFixed(4)})`);
    console.log(`${label.padEnd(16)}${cells.map((c) => c.padEnd(34)).join('')}`);
  }
}
