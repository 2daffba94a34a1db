/**
 * stats: descriptive statistics, quantiles, correlation, hypothesis tests, formulas, OLS and
 * logistic-regression inference, resampling, model comparison and data drift (see DESIGN.md, docs/stats.md).
 * Internal helpers (distributions, linear algebra, formatting pieces, argument checks) are not
 * re-exported.
 */
export * from './anova.ts';
export {
  type BootstrapMethod,
  type BootstrapOptions,
  type BootstrapResult,
  bootstrapCI,
  bootstrapInterval,
  bootstrapMetric,
  jackknifeValues,
} from './bootstrap.ts';
export {
  type ChiSquareGofOptions,
  type ChiSquareIndependenceOptions,
  type ChiSquareLambda,
  chiSquareGoodnessOfFit,
  chiSquareIndependence,
  type FisherExactOptions,
  fisherExact,
} from './contingency.ts';
export * from './correlation.ts';
export * from './correlation-test.ts';
export * from './descriptive.ts';
export {
  buildDesign,
  type Design,
  type DesignOptions,
  type FormulaColumn,
  type FormulaFrame,
} from './design.ts';
export * from './drift.ts';
export {
  type FormulaExpr,
  type FormulaFactor,
  type FormulaTerm,
  type ParsedFormula,
  parseFormula,
} from './formula.ts';
export {
  type KsDistribution,
  type KsOneSampleOptions,
  type KsTwoSampleOptions,
  ksOneSample,
  ksTwoSample,
} from './ks.ts';
export * from './logit.ts';
export * from './model-comparison.ts';
export * from './multitest.ts';
export {
  type AndersonOptions,
  andersonDarling,
  dagostinoPearson,
  jarqueBera,
  kurtosisTest,
  shapiroWilk,
  skewTest,
  type ZTestOptions,
} from './normality.ts';
export * from './ols.ts';
export { formatLogitSummary, formatOlsSummary } from './ols-format.ts';
export * from './permutation.ts';
export * from './quantile.ts';
export {
  kruskalWallis,
  type MannWhitneyOptions,
  mannWhitneyU,
  type WilcoxonOptions,
  wilcoxonSignedRank,
} from './rank-tests.ts';
export {
  type TTestIndependentOptions,
  type TTestOneSampleOptions,
  type TTestOptions,
  tTestIndependent,
  tTestOneSample,
  tTestPaired,
} from './t-test.ts';
export { formatTestResult, type TestResult } from './test-result.ts';
export type { Alternative } from './validate.ts';
