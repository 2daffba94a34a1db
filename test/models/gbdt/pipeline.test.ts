// HistGradientBoosting inside a Pipeline on a Table: the categorical column arrives
// ordinal-encoded and is named in categoricalFeatures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { decodePlain, encodePlain, type PlainValue } from '../../../src/core/plain.ts';
import { Rng } from '../../../src/core/rng.ts';
import { categoricalColumn, numericColumn } from '../../../src/data/column.ts';
import { Table } from '../../../src/data/table.ts';
import { HistGradientBoostingClassifier } from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { autoPreprocessor } from '../../../src/preprocess/auto-preprocessor.ts';
import { Pipeline } from '../../../src/preprocess/pipeline.ts';

describe('HistGradientBoostingClassifier in a Pipeline', () => {
  it('fits on a Table with a categorical column named in categoricalFeatures, and round-trips', () => {
    const rng = new Rng(1);
    const n = 300;
    const cities = ['a', 'b', 'c', 'd', 'e'];
    const city = Array.from({ length: n }, () => cities[rng.int(5)]);
    const t = new Table([
      numericColumn(
        'age',
        Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : rng.int(60))),
      ),
      categoricalColumn('city', city),
    ]);
    const y = city.map((c) => (c === 'a' || c === 'c' ? 'yes' : 'no'));
    const model = new HistGradientBoostingClassifier({ categoricalFeatures: ['city'], maxIter: 20 });
    const pipe = new Pipeline({
      steps: [
        ['pre', autoPreprocessor(t, { forModel: 'tree' })],
        ['model', model],
      ],
    } as never);
    pipe.fit(t, y);
    assert.equal((pipe as unknown as { score(X: Table, y: string[]): number }).score(t, y), 1);
    assert.equal(model.isCategorical_![model.featureNamesIn_!.indexOf('city')], 1);
    // One categorical split separates {a, c} from the rest.
    assert.ok(model.featureSplitCounts_![model.featureNamesIn_!.indexOf('city')] > 0);
    const json = JSON.parse(JSON.stringify(encodePlain(pipe.toJSON() as unknown as PlainValue)));
    const back = estimatorFromJSON(decodePlain(json) as never) as unknown as {
      predict(X: Table): unknown[];
    };
    assert.deepEqual(back.predict(t), (pipe as unknown as { predict(X: Table): unknown[] }).predict(t));
  });
});
