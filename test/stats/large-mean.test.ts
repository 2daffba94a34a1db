// t-tests, one-way ANOVA and Levene's test on data with a large mean and a tiny spread
// (3e5 ± 1e-3), against mpmath on the exact data (scripts/oracles/large_mean.py). A mean rounded
// to the nearest double is up to 3e-11 off there, which moved t by 1.3e-7 relative (SciPy 1.10
// too); the statistics now add back the residual Σ(x − mean)/n.
import { describe, it } from 'node:test';
import { leveneTest, oneWayAnova } from '../../src/stats/anova.ts';
import { tTestIndependent, tTestOneSample, tTestPaired } from '../../src/stats/t-test.ts';
import { assertClose, fixture } from './fixture.ts';

const f = fixture<{
  x: number[];
  y: number[];
  yPaired: number[];
  groups: number[][];
  mu: number;
  oneSample: { t: number };
  student: { t: number };
  welch: { t: number };
  paired: { t: number };
  anova: { f: number };
  levene: Record<'median' | 'mean' | 'trimmed', { w: number }>;
  smallMean: { x: number[]; y: number[]; t: number };
}>('large-mean.json');

const TOL = 1e-12;

describe('large mean, tiny spread', () => {
  it('one-sample t', () => assertClose(tTestOneSample(f.x, { mu: f.mu }).statistic, f.oneSample.t, 't', TOL));
  it("Student's t", () => assertClose(tTestIndependent(f.x, f.y).statistic, f.student.t, 't', TOL));
  it("Welch's t", () =>
    assertClose(tTestIndependent(f.x, f.y, { equalVariance: false }).statistic, f.welch.t, 't', TOL));
  it('paired t', () => assertClose(tTestPaired(f.x, f.yPaired).statistic, f.paired.t, 't', TOL));
  it('paired t, mean difference small against the spread', () =>
    assertClose(tTestPaired(f.smallMean.x, f.smallMean.y).statistic, f.smallMean.t, 't', 1e-15));
  it('one-way ANOVA', () => assertClose(oneWayAnova(f.groups).statistic, f.anova.f, 'F', TOL));
  for (const center of ['median', 'mean', 'trimmed'] as const) {
    it(`Levene (${center})`, () =>
      assertClose(leveneTest(f.groups, { center }).statistic, f.levene[center].w, 'W', TOL));
  }
});
