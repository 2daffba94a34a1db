// LinearRegression, Ridge, Lasso and ElasticNet against scikit-learn 1.2 (scripts/oracles/linear.py).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { captureWarnings } from '../../../src/core/warnings.ts';
import { ElasticNet, Lasso, LinearRegression, Ridge } from '../../../src/models/linear/index.ts';
import { assertClose, dataset, fixture } from './helpers.ts';

interface RegressionCase {
  name: string;
  model: 'LinearRegression' | 'Ridge' | 'Lasso' | 'ElasticNet';
  dataset: string;
  params: Record<string, unknown>;
  sampleWeight: number[] | null;
  coef: number[];
  intercept: number;
  predict: number[];
  convergenceWarning: boolean;
  rank?: number;
  singular?: number[];
  nIter?: number;
  dualGap?: number;
}

const { cases } = fixture<{ cases: RegressionCase[] }>('regression.json');

/** scikit-learn's snake_case parameters in Lathe's camelCase. */
export function camel(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

const classes = { LinearRegression, Ridge, Lasso, ElasticNet };
const TOL = 1e-6;

describe('linear regressors match scikit-learn', () => {
  for (const c of cases) {
    it(`${c.model}: ${c.name}`, () => {
      const { X, y } = dataset(c.dataset);
      const Ctor = classes[c.model] as unknown as new (
        p: Record<string, unknown>,
      ) => LinearRegression & {
        nIter_?: number;
        dualGap_?: number;
      };
      const model = new Ctor(camel(c.params));
      const { warnings } = captureWarnings(() =>
        model.fit(X, y, c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}),
      );
      assertClose(model.coef_!, c.coef, TOL, 'coef_');
      assertClose([model.intercept_!], [c.intercept], TOL, 'intercept_');
      assertClose(model.predict(X), c.predict, TOL, 'predict');
      assert.equal(
        warnings.some((w) => w.category === 'ConvergenceWarning'),
        c.convergenceWarning,
        'ConvergenceWarning',
      );
      if (c.rank !== undefined) assert.equal(model.rank_, c.rank, 'rank_');
      if (c.singular !== undefined) {
        // Singular values of a rank-deficient design below the cutoff are rounding noise: compare the rest.
        const keep = c.singular.filter((s) => s > 1e-10 * c.singular![0]).length;
        assertClose(model.singular_!.slice(0, keep), c.singular.slice(0, keep), TOL, 'singular_');
      }
      if (c.nIter !== undefined) assert.equal(model.nIter_, c.nIter, 'nIter_');
      if (c.dualGap !== undefined) assertClose([model.dualGap_!], [c.dualGap], 1e-6, 'dualGap_');
    });
  }
});
