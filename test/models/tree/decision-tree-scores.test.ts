// Test scores of single trees against scikit-learn's, averaged over seeds (a single tree's score
// varies with the feature order used to break ties, and with random thresholds).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../../src/models/tree/index.ts';
import { oracleDataset } from './datasets.ts';

interface ScoreOracle {
  scores: { dataset: string; params: Record<string, number | string>; seeds: number; mean: number }[];
}

const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/models/tree/trees.json', import.meta.url), 'utf8'),
) as ScoreOracle;

function camel(params: Record<string, number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(params))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

describe('decision trees score as scikit-learn does (mean over seeds, within 0.01)', () => {
  for (const s of oracle.scores) {
    it(`${s.dataset} ${JSON.stringify(s.params)}`, () => {
      const d = oracleDataset(s.dataset);
      let total = 0;
      for (let seed = 0; seed < s.seeds; seed++) {
        const params = { ...camel(s.params), seed } as never;
        const t =
          d.task === 'classification'
            ? new DecisionTreeClassifier(params).fit(d.train.X, d.train.y)
            : new DecisionTreeRegressor(params).fit(d.train.X, d.train.y);
        total += t.score(d.test.X, d.test.y);
      }
      const mean = total / s.seeds;
      assert.ok(
        Math.abs(mean - s.mean) <= 0.01,
        `mean score ${mean.toFixed(4)} vs scikit-learn ${s.mean.toFixed(4)}`,
      );
    });
  }
});
