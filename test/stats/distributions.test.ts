import { describe, it } from 'node:test';
import {
  betaInc,
  betaIncSymmetric,
  chiSquareSf,
  fisherFSf,
  normalPpf,
  studentTPpf,
  studentTSf,
} from '../../src/stats/distributions.ts';
import { assertClose, fixture } from './fixture.ts';

// mpmath at 50 digits (scripts/oracles/distribution_tails.py).
const tails = fixture<{
  fSf: { f: number; d1: number; d2: number; p: number }[];
  tSf: { t: number; df: number; p: number }[];
  tPpf: { p: number; df: number; t: number }[];
  chiSf: { x: number; df: number; p: number }[];
  pearson: { n: number; r: number; p: number }[];
}>('distribution-tails.json');

describe('studentTSf far tails', () => {
  // t² overflowed for the first two (@stdlib: 0); the third underflows truly.
  for (const { t, df, p } of tails.tSf) {
    it(`P(T(${df}) > ${t})`, () => {
      assertClose(studentTSf(t, df), p, 'sf', 1e-12);
      assertClose(studentTSf(-t, df), 1 - p, 'cdf side', 1e-15);
    });
  }
});

describe('studentTPpf small p', () => {
  // @stdlib's quantile was −∞ where ν/(ν + t²) underflows (p = 1e-300 on 1 df: −1/(πp)); SciPy
  // 1.10's t.ppf stops at −1e100 there.
  for (const { p, df, t } of tails.tPpf) {
    it(`t(${df}) quantile of ${p}`, () => {
      assertClose(studentTPpf(p, df), t, 'lower', 1e-12);
      if (p >= 0.001) assertClose(studentTPpf(1 - p, df), -t, 'upper', 1e-12);
    });
  }
});

describe('fisherFSf far tails', () => {
  // @stdlib's incomplete beta gave 0 for the first two, and was off by 1.6e-7 to 8e-11 relative
  // for the next three; SciPy 1.10 itself is off by up to 1e-8 here.
  for (const { f, d1, d2, p } of tails.fSf) {
    it(`P(F(${d1}, ${d2}) > ${f})`, () => assertClose(fisherFSf(f, d1, d2), p, 'sf', 1e-12));
  }
});

describe('chiSquareSf', () => {
  // Exact values from mpmath (gammainc(df/2, x/2, inf, regularized=True), 40 digits); SciPy's
  // chi2.sf agrees to 1e-13. @stdlib 0.3's series for x/2 > 1000 was off by 0.2%–2% here.
  const cases: [number, number, number][] = [
    [2040, 2000, 0.2614728155198891],
    [2100, 2000, 0.05867111137731808],
    [5145.9127524164, 5000, 0.07327564623412096],
    [3000, 1000, 1.6436845843569544e-198],
    [2460.563764499749, 500, 1.2387175363788601e-255],
    [1.05e6, 1e6, 2.185638417489726e-265],
  ];
  for (const [x, df, p] of cases) {
    it(`χ² = ${x} on ${df} df (large x, the asymptotic series)`, () => {
      assertClose(chiSquareSf(x, df), p, 'sf', 1e-11);
    });
  }
});

describe('chiSquareSf far tails, huge df', () => {
  // The large-x series' prefix a·(log1p(d) − d) lost ~2ε/|d| relative to the cancellation of its
  // two terms — 6.6e-12 of the p-value for 7.9e6 df.
  for (const { x, df, p } of tails.chiSf) {
    it(`χ² = ${x} on ${df} df`, () => assertClose(chiSquareSf(x, df), p, 'sf', 1e-12));
  }
});

describe("Pearson's exact p-value, large n", () => {
  // I_x(a, a) at the rounded x = (1 − r)/2 was 4.7e-11 off for n = 1.28e6 (the rounding of x
  // and 1 − x, times a); betaIncSymmetric works from r.
  for (const { n, r, p } of tails.pearson) {
    it(`n = ${n}, r = ${r}`, () => {
      assertClose(2 * betaIncSymmetric(r, n / 2 - 1), p, 'p', 1e-12);
      assertClose(2 * betaInc((1 - r) / 2, n / 2 - 1, n / 2 - 1), p, 'via betaInc (looser)', 1e-10);
    });
  }
});

describe('normalPpf', () => {
  // scipy.special.ndtri (agrees with an mpmath bisection to the last digit).
  const cases: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-100, -21.273453560965322],
    [1e-20, -9.262340089798409],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.3, -0.5244005127080409],
  ];
  for (const [p, z] of cases) {
    it(`Φ⁻¹(${p})`, () => {
      assertClose(normalPpf(p), z, 'lower', 1e-14);
      if (p >= 0.001) assertClose(normalPpf(1 - p), -z, 'upper', 1e-12);
    });
  }
});
