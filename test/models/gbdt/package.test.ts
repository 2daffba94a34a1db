// A fitted HistGradientBoostingClassifier through the model package (typed arrays as blobs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatorFromJSON } from '../../../src/core/estimator.ts';
import { numericColumn } from '../../../src/data/column.ts';
import { inferSchema } from '../../../src/data/schema-infer.ts';
import { Table } from '../../../src/data/table.ts';
import { HistGradientBoostingClassifier } from '../../../src/models/ensemble/hist-gradient-boosting/index.ts';
import { readModelPackageArchive } from '../../../src/track/package/read.ts';
import { archiveOf, buildModelPackage } from '../../../src/track/package/write.ts';
import { dataset, split } from './datasets.ts';

describe('HistGradientBoostingClassifier in a model package', () => {
  it('predicts the same after writing and reading the archive', () => {
    const { Xtr, ytr, Xte } = split(dataset('missing'));
    const clf = new HistGradientBoostingClassifier({ maxIter: 15 }).fit(Xtr, ytr);
    const schemaOf = (names: readonly string[]) =>
      inferSchema(new Table(names.map((n) => numericColumn(n, [1, 2, 3])) as never));
    const built = buildModelPackage(
      {
        model: clf,
        task: 'binary',
        target: 'y',
        inputSchema: schemaOf(Xtr.columns),
        outputSchema: schemaOf(['prediction']),
      },
      new Date(0),
    );
    const pkg = readModelPackageArchive(archiveOf(built), 'model.lathe');
    const back = estimatorFromJSON<HistGradientBoostingClassifier>(pkg.model);
    assert.deepEqual(back.predictProba(Xte).data, clf.predictProba(Xte).data);
    assert.deepEqual(back.predict(Xte), clf.predict(Xte));
  });
});
