// GaussianNB and MultinomialNB against scikit-learn 1.2 (scripts/oracles/bayes.py):
// identical predictions, fitted statistics and probabilities to 1e-10.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type Matrix, matrix } from '../../../src/core/matrix.ts';
import { captureWarnings } from '../../../src/core/warnings.ts';
import { GaussianNB, MultinomialNB } from '../../../src/models/bayes/index.ts';
import { assertClose } from '../linear/helpers.ts';

const DIR = new URL('../../fixtures/models/bayes/', import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;

interface Case {
  model: 'GaussianNB' | 'MultinomialNB';
  dataset: string;
  params: Record<string, unknown>;
  sampleWeight: number[] | null;
  predict: number[];
  logProba: number[][];
  classCount: number[];
  theta?: number[][];
  var?: number[][];
  classPrior?: number[];
  epsilon?: number;
  featureLogProb?: number[][];
  classLogPrior?: number[];
}

const data = read<Record<string, { X: number[][]; y: number[] }>>('datasets.json');
const { cases } = read<{ cases: Case[] }>('naive-bayes.json');

function half(name: string, offset: number): { X: Matrix; y: number[] } {
  const d = data[name];
  const rows = d.X.filter((_, i) => i % 2 === offset);
  return {
    X: matrix(Float64Array.from(rows.flat()), rows.length, rows[0].length),
    y: d.y.filter((_, i) => i % 2 === offset),
  };
}

function camel(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

const TOL = 1e-10;

describe('naive Bayes matches scikit-learn', () => {
  for (const c of cases) {
    it(`${c.model} ${c.dataset} ${JSON.stringify(c.params)}${c.sampleWeight ? ' weighted' : ''}`, () => {
      const train = half(c.dataset, 0);
      const test = half(c.dataset, 1);
      const model =
        c.model === 'GaussianNB' ? new GaussianNB(camel(c.params)) : new MultinomialNB(camel(c.params));
      const { warnings } = captureWarnings(() =>
        model.fit(train.X, train.y, c.sampleWeight ? { sampleWeight: c.sampleWeight } : {}),
      );
      assert.deepEqual([...model.predict(test.X)], c.predict, 'predict');
      assertClose(model.classCount_!, c.classCount, TOL, 'classCount_');
      assertClose(model.predictLogProba(test.X).data, c.logProba.flat(), TOL, 'predictLogProba');
      const expectedProba = c.logProba.flat().map((v) => Math.exp(v));
      assertClose(model.predictProba(test.X).data, expectedProba, TOL, 'predictProba');
      if (model instanceof GaussianNB) {
        assertClose(
          model.theta_!.flatMap((r) => Array.from(r)),
          c.theta!.flat(),
          TOL,
          'theta_',
        );
        assertClose(
          model.var_!.flatMap((r) => Array.from(r)),
          c.var!.flat(),
          TOL,
          'var_',
        );
        assertClose(model.classPrior_!, c.classPrior!, TOL, 'classPrior_');
        assertClose([model.epsilon_!], [c.epsilon!], TOL, 'epsilon_');
      } else {
        assertClose(
          model.featureLogProb_!.flatMap((r) => Array.from(r)),
          c.featureLogProb!.flat(),
          TOL,
          'featureLogProb_',
        );
        assertClose(model.classLogPrior_!, c.classLogPrior!, TOL, 'classLogPrior_');
        const tiny =
          (c.params.alpha as number | undefined) !== undefined && (c.params.alpha as number) < 1e-10;
        assert.equal(warnings.length > 0, tiny, 'warning for a too-small alpha');
      }
    });
  }
});
