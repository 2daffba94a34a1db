// Input forms every metric accepts, and the errors bad inputs get (a ValidationError naming the
// argument, with a fix). Values are checked against the scikit-learn oracle elsewhere; here the
// same data in other forms must give identical results.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { matrix } from '../../src/core/matrix.ts';
import { captureWarnings } from '../../src/core/warnings.ts';
import * as M from '../../src/metrics/index.ts';

function throwsField(fn: () => unknown, field: string, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
    assert.equal(e.field, field, e.message);
    if (pattern) assert.match(e.message, pattern);
    assert.ok(e.fix, `a fix is suggested: ${e.message}`);
    return true;
  });
}

const yTrue = [0, 1, 1, 0, 1, 0, 0, 1];
const yPred = [0, 1, 0, 0, 1, 1, 0, 1];
const score = [0.1, 0.8, 0.4, 0.3, 0.9, 0.6, 0.2, 0.7];
const proba3 = [
  [0.7, 0.2, 0.1],
  [0.2, 0.5, 0.3],
  [0.1, 0.3, 0.6],
  [0.5, 0.4, 0.1],
  [0.3, 0.3, 0.4],
  [0.2, 0.7, 0.1],
];
const y3 = ['a', 'b', 'c', 'a', 'c', 'b'];

describe('input forms', () => {
  it('typed arrays, plain arrays and booleans give the same results', () => {
    const typedTrue = Int32Array.from(yTrue);
    const typedPred = Float64Array.from(yPred);
    assert.equal(M.f1Score(typedTrue, typedPred), M.f1Score(yTrue, yPred));
    assert.equal(M.accuracyScore(yTrue.map(Boolean), yPred.map(Boolean)), M.accuracyScore(yTrue, yPred));
    assert.equal(
      M.rocAucScore(typedTrue, Float32Array.from(score)),
      M.rocAucScore(yTrue, Float32Array.from(score)),
    );
    assert.equal(M.rocAucScore(yTrue, Float64Array.from(score)), M.rocAucScore(yTrue, score));
  });

  it('a Matrix and an array of rows give the same results', () => {
    const m = matrix(Float64Array.from(proba3.flat()), 6, 3);
    for (const multiClass of ['ovr', 'ovo'] as const) {
      assert.equal(M.rocAucScore(y3, m, { multiClass }), M.rocAucScore(y3, proba3, { multiClass }));
    }
    assert.equal(M.logLoss(y3, m), M.logLoss(y3, proba3));
    assert.equal(M.averagePrecisionScore(y3, m), M.averagePrecisionScore(y3, proba3));
    const yr = [
      [1, 2],
      [3, 4],
      [5, 7],
    ];
    const pr = [
      [1.5, 2],
      [2, 4.5],
      [5, 6],
    ];
    assert.equal(
      M.r2Score(matrix(Float64Array.from(yr.flat()), 3, 2), matrix(Float64Array.from(pr.flat()), 3, 2)),
      M.r2Score(yr, pr),
    );
  });

  it('a column-shaped (n × 1) target is the same as a vector', () => {
    const y = [1, 2, 3, 5];
    const p = [1.5, 2, 2.5, 6];
    assert.equal(
      M.meanSquaredError(
        y.map((v) => [v]),
        p,
      ),
      M.meanSquaredError(y, p),
    );
    assert.equal(
      M.rocAucScore(
        yTrue,
        score.map((s) => [s]),
      ),
      M.rocAucScore(yTrue, score),
    );
  });

  it('a two-column probability matrix scores the greater class in rocAucScore', () => {
    assert.equal(
      M.rocAucScore(
        yTrue,
        score.map((s) => [1 - s, s]),
      ),
      M.rocAucScore(yTrue, score),
    );
  });

  it('never modifies its inputs', () => {
    const s = Float64Array.from(score);
    const w = Float64Array.from([1, 2, 1, 1, 3, 1, 2, 1]);
    const before = Array.from(s);
    M.rocCurve(yTrue, s, { sampleWeight: w });
    M.rocAucScore(yTrue, s);
    M.precisionRecallCurve(yTrue, s, { sampleWeight: w });
    M.calibrationCurve(yTrue, s, { strategy: 'quantile' });
    M.medianAbsoluteError(s, Float64Array.from(score).reverse(), { sampleWeight: w });
    assert.deepEqual(Array.from(s), before);
    assert.deepEqual(Array.from(w), [1, 2, 1, 1, 3, 1, 2, 1]);
  });

  it('labels may be any strings or numbers; confusionMatrix keeps them', () => {
    const cm = M.confusionMatrix(['x', 'y', 'x'], ['x', 'x', 'x']);
    assert.deepEqual(cm.labels, ['x', 'y']);
    assert.deepEqual(cm.columns, ['x', 'y']);
    assert.deepEqual(Array.from(cm.data), [2, 0, 1, 0]);
    const big = M.confusionMatrix([1e9, -3, 1e9], [1e9, 1e9, -3]);
    assert.deepEqual(big.labels, [-3, 1e9]);
  });
});

describe('errors name the argument and suggest a fix', () => {
  it('length mismatches', () => {
    throwsField(() => M.f1Score([0, 1], [0, 1, 1]), 'yPred', /2 values but yPred has 3/);
    throwsField(() => M.rocAucScore([0, 1], [0.1]), 'yScore');
    throwsField(() => M.accuracyScore([0, 1], [0, 1], { sampleWeight: [1] }), 'sampleWeight');
    throwsField(() => M.logLoss([0, 1], [[0.5, 0.5]]), 'yPred (rows)');
    throwsField(() => M.silhouetteScore([[0], [1], [2]], [0, 1]), 'labels');
  });

  it('empty inputs', () => {
    for (const fn of [
      M.accuracyScore,
      M.f1Score,
      M.matthewsCorrcoef,
      M.confusionMatrix,
      M.classificationReport,
    ]) {
      throwsField(() => (fn as (a: number[], b: number[]) => unknown)([], []), 'yTrue', /empty/);
    }
    throwsField(() => M.rocAucScore([], []), 'yTrue', /empty/);
    throwsField(() => M.logLoss([], []), 'yTrue', /empty/);
    throwsField(() => M.meanSquaredError([], []), 'yTrue', /empty/);
    throwsField(() => M.adjustedRandScore([], []), 'labelsTrue', /empty/);
  });

  it('missing, infinite and mixed labels', () => {
    throwsField(
      () => M.accuracyScore([0, null as unknown as number], [0, 1]),
      'yTrue',
      /yTrue\[1\] is missing/,
    );
    throwsField(() => M.accuracyScore([0, Number.NaN], [0, 1]), 'yTrue', /missing/);
    throwsField(() => M.accuracyScore([0, 1], [0, Number.POSITIVE_INFINITY]), 'yPred', /finite/);
    throwsField(() => M.accuracyScore(['a', 1] as never, ['a', 'a']), 'yTrue', /mixes numbers and strings/);
    throwsField(() => M.accuracyScore(['1', '0'], [1, 0]), 'yPred', /same type/);
    throwsField(() => M.accuracyScore([0.5, 1], [0.5, 1]), 'yTrue', /continuous/);
  });

  it('a multilabel (indicator matrix) target is refused as such, with a fix', () => {
    // scikit-learn scores multilabel targets; Lathe's label metrics take one label per sample.
    const y = [
      [1, 0, 1],
      [0, 1, 1],
    ];
    throwsField(
      () => M.f1Score(y as never, y as never, { average: 'macro' }),
      'yTrue',
      /yTrue\[0\] is an array.*multilabel/,
    );
    throwsField(() => M.accuracyScore([0, 1], [0, { a: 1 }] as never), 'yPred', /yPred\[1\] is an object/);
  });

  it('a labels option of the wrong type or with duplicates', () => {
    throwsField(
      () => M.f1Score(['a', 'b'], ['a', 'b'], { average: 'macro', labels: [1] }),
      'labels[0]',
      /number/,
    );
    throwsField(() => M.confusionMatrix([0, 1], [0, 1], { labels: [0, 0] }), 'labels', /twice/);
    throwsField(() => M.f1Score([0, 1], [0, 1], { posLabel: '1' }), 'posLabel', /string/);
  });

  it('bad scores and weights', () => {
    throwsField(() => M.rocAucScore([0, 1], [0.2, Number.NaN]), 'yScore', /finite/);
    throwsField(() => M.rocAucScore([0, 1], [[0.2, Number.NaN]]), 'yScore');
    throwsField(() => M.accuracyScore([0, 1], [0, 1], { sampleWeight: [1, -1] }), 'sampleWeight', /≥ 0/);
    throwsField(
      () => M.accuracyScore([0, 1], [0, 1], { sampleWeight: [0, 0] }),
      'sampleWeight',
      /sums to zero/,
    );
    throwsField(() => M.meanAbsoluteError([1, 2], [1, 2], { sampleWeight: [0, 0] }), 'sampleWeight');
    throwsField(() => M.silhouetteScore([[0], [Number.NaN], [2]], [0, 1, 1]), 'X');
  });

  it('bad options', () => {
    throwsField(() => M.f1Score([0, 1], [0, 1], { average: 'samples' as never }), 'average');
    throwsField(() => M.logLoss([0, 1], [0.1, 0.2], { eps: -1 }), 'eps');
    throwsField(() => M.calibrationCurve([0, 1], [0.1, 0.2], { nBins: 0 }), 'nBins');
    throwsField(() => M.calibrationCurve([0, 1], [0.1, 0.2], { strategy: 'kmeans' as never }), 'strategy');
    throwsField(() => M.silhouetteScore([[0], [1], [2], [3]], [0, 0, 1, 1], { sampleSize: 0 }), 'sampleSize');
    throwsField(
      () => M.normalizedMutualInfoScore([0, 1], [0, 1], { averageMethod: 'mean' as never }),
      'averageMethod',
    );
    throwsField(() => M.r2Score([1, 2], [1, 2], { multioutput: 'mean' as never }), 'multioutput');
    throwsField(() => M.fbetaScore([0, 1], [0, 1], {} as never), 'beta');
    // scikit-learn: fbeta_score([0, 1, 1], [1, 1, 0], beta=1e300) raises OverflowError (beta ** 2);
    // Lathe returned NaN. beta = Infinity stays recall.
    throwsField(() => M.fbetaScore([0, 1, 1], [1, 1, 0], { beta: 1e300 }), 'beta', /overflows/);
    throwsField(() => M.precisionRecallFscoreSupport([0, 1, 1], [1, 1, 0], { beta: 1e200 }), 'beta');
    assert.equal(M.fbetaScore([0, 1, 1], [1, 1, 0], { beta: Number.POSITIVE_INFINITY }), 0.5);
  });

  it('multiclass targets need a score matrix', () => {
    throwsField(
      () => M.rocAucScore(y3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], { multiClass: 'ovr' }),
      'yScore',
      /one column per class/,
    );
    throwsField(() => M.averagePrecisionScore(y3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), 'yScore');
    throwsField(() => M.logLoss(y3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), 'yPred');
  });

  it('the single-class ROC AUC error keeps scikit-learn wording', () => {
    throwsField(
      () => M.rocAucScore([1, 1, 1], [0.2, 0.4, 0.9]),
      'yTrue',
      /^rocAucScore: Only one class present in y_true\. ROC AUC score is not defined in that case\./,
    );
  });

  it('logLoss rejects a true label missing from labels (scikit-learn 1.2 scores it silently)', () => {
    throwsField(
      () =>
        M.logLoss(
          ['a', 'c'],
          [
            [0.3, 0.7],
            [0.4, 0.6],
          ],
          { labels: ['a', 'b'] },
        ),
      'yTrue',
      /"c"/,
    );
  });
});

describe('zeroDivision', () => {
  it("'warn' gives 0 with one UndefinedMetricWarning; 0 and 1 do not warn", () => {
    const run = (zeroDivision: M.ZeroDivision) =>
      captureWarnings(() => M.precisionScore([0, 0, 1], [0, 0, 0], { zeroDivision }));
    const w = run('warn');
    assert.equal(w.result, 0);
    assert.equal(w.warnings.length, 1);
    assert.equal(w.warnings[0].category, 'UndefinedMetricWarning');
    assert.match(w.warnings[0].message, /zeroDivision/);
    assert.deepEqual(run(0), { result: 0, warnings: [] });
    assert.deepEqual(run(1), { result: 1, warnings: [] });
  });
});

describe('defaults', () => {
  it('precisionRecallFscoreSupport defaults to per-label results, even with average: undefined', () => {
    const a = M.precisionRecallFscoreSupport([0, 1, 2], [0, 1, 1]);
    const b = M.precisionRecallFscoreSupport([0, 1, 2], [0, 1, 1], { average: undefined });
    assert.ok(a.precision instanceof Float64Array);
    assert.deepEqual(b, a);
  });
  it("the scores default to average 'binary' with posLabel 1", () => {
    assert.equal(M.precisionScore([0, 1, 1, 0], [1, 1, 1, 0]), 2 / 3);
    assert.equal(M.precisionScore([0, 1, 1, 0], [1, 1, 1, 0], { average: undefined }), 2 / 3);
  });
});

describe('curves with all-zero weights', () => {
  it('raise instead of returning an empty curve', () => {
    const zeros = [0, 0, 0, 0, 0, 0, 0, 0];
    throwsField(() => M.rocCurve(yTrue, score, { sampleWeight: zeros, posLabel: 1 }), 'sampleWeight', /0/);
    throwsField(() => M.rocAucScore(yTrue, score, { sampleWeight: zeros }), 'sampleWeight');
    throwsField(() => M.averagePrecisionScore(yTrue, score, { sampleWeight: zeros }), 'sampleWeight');
    throwsField(() => M.precisionRecallCurve(yTrue, score, { sampleWeight: zeros }), 'sampleWeight');
  });
});

describe('errors name the metric that was called', () => {
  it("cohenKappaScore's errors start with its name and call the labelings y1 and y2", () => {
    throwsField(() => M.cohenKappaScore([1, 2], [1, 2], { labels: [5, 6] }), 'labels', /^cohenKappaScore: /);
    throwsField(
      () => M.cohenKappaScore([1, 2], [1, 2, 3]),
      'y2',
      /^cohenKappaScore: y1 has 2 values but y2 has 3/,
    );
  });
});

describe('accuracy scores with all-zero weights', () => {
  it('raise, as the documented rule for weights summing to zero says (balanced accuracy gave NaN)', () => {
    const zeros = [0, 0, 0, 0];
    throwsField(() => M.accuracyScore([0, 1, 1, 0], [0, 1, 0, 0], { sampleWeight: zeros }), 'sampleWeight');
    throwsField(
      () => M.balancedAccuracyScore([0, 1, 1, 0], [0, 1, 0, 0], { sampleWeight: zeros }),
      'sampleWeight',
      /sums to zero/,
    );
    throwsField(
      () => M.balancedAccuracyScore([0, 1, 1, 0], [0, 1, 0, 0], { sampleWeight: zeros, adjusted: true }),
      'sampleWeight',
    );
  });
});
