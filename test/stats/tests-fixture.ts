// The shape of test/fixtures/stats/tests.json (scripts/oracles/stats.py, tests()).
import type { Alternative } from '../../src/stats/validate.ts';
import { fixture } from './fixture.ts';

export interface TestsFixture {
  ttest: {
    kind: 'one' | 'student' | 'welch' | 'paired';
    x: number[];
    y?: number[];
    mu?: number;
    alternative: Alternative;
    level: number;
    t: number;
    p: number;
    df: number;
    ci: [number, number];
    d: number;
  }[];
  mannwhitney: {
    name: string;
    x: number[];
    y: number[];
    alternative: Alternative;
    method: 'auto' | 'exact' | 'asymptotic';
    continuity: boolean;
    U: number;
    p: number;
  }[];
  wilcoxon: {
    name: string;
    d?: number[];
    x?: number[];
    y?: number[];
    alternative: Alternative;
    zeroMethod: 'wilcox' | 'pratt' | 'zsplit';
    correction: boolean;
    method: 'auto' | 'approx';
    T: number;
    p: number;
  }[];
  groups: {
    groups: number[][];
    kruskal: { H: number; p: number };
    anova: { F: number; p: number; eta2: number };
    levene: Record<'median' | 'mean' | 'trimmed', { W: number; p: number }>;
    leveneTrim20: { W: number; p: number };
  };
  chisquare: {
    observed: number[];
    expected?: number[];
    ddof: number;
    lambda?: 'log-likelihood';
    stat: number;
    p: number;
  }[];
  contingency: {
    name: string;
    table: number[][];
    correction: boolean;
    lambda: 'pearson' | 'log-likelihood';
    stat: number;
    p: number;
    df: number;
    expected: number[];
    cramer: number;
  }[];
  fisher: {
    table: number[][];
    alternative: Alternative;
    oddsRatio: number;
    p: number;
    conditional: number;
    ci: [number, number];
  }[];
  ks1: {
    x: number[];
    dist: 'normal' | 'uniform' | 'exponential';
    loc: number;
    scale: number;
    alternative: Alternative;
    method: 'auto' | 'exact' | 'asymp' | 'approx';
    D: number;
    p: number;
  }[];
  ks2: {
    x: number[];
    y: number[];
    alternative: Alternative;
    method: 'auto' | 'asymp';
    D: number;
    p: number;
  }[];
  shapiro: { x: number[]; W: number; p: number; Wdouble: number; pdouble: number }[];
  anderson: {
    x: number[];
    dist: 'normal' | 'exponential';
    A2: number;
    critical: number[];
    sig: number[];
    p?: number;
  }[];
  normtests: ({ x: number[]; normaltest: [number, number]; jb: [number, number] } & Record<
    string,
    [number, number]
  >)[];
  correlation: {
    name: string;
    x: number[];
    y: number[];
    alternative: Alternative;
    kendallMethod?: 'exact' | 'asymptotic';
    pearson?: [number, number];
    pearsonCI?: [number, number];
    spearman?: [number, number];
    spearmanCI2?: [number, number];
    kendall: [number, number];
  }[];
  multitest: { p: number[]; methods: Record<string, { adjusted: number[]; reject: boolean[] }> };
}

export const tests = fixture<TestsFixture>('tests.json');
