// `lathe export <model> --format onnx -o FILE`: packages as archives and directories (with a
// separate preprocessing step), registry references, the --json shape, the atomic write, and
// the exit-code contract for bad usage and unsupported models. The written files are run with
// onnxruntime-node against the packaged model's own predictions.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExportView } from '../../src/cli/export.ts';
import type { Label } from '../../src/core/labels.ts';
import { inferSchema } from '../../src/data/schema-infer.ts';
import type { Table } from '../../src/data/table.ts';
import { HistGradientBoostingClassifier } from '../../src/models/ensemble/index.ts';
import { LogisticRegression } from '../../src/models/linear/index.ts';
import { KNeighborsClassifier } from '../../src/models/neighbors/index.ts';
import type { Pipeline } from '../../src/preprocess/index.ts';
import { writeModelPackage } from '../../src/track/package/write.ts';
import { type Example, example, fitPipeline } from '../export/example-pipelines.ts';
import { assertClose, assertSameLabels, session, summarize, tableFeeds } from '../export/helpers.ts';
import { runCli } from '../helpers/cli.ts';

let work: string;
let wine: Example;
let winePipe: Pipeline;
let archive: string;

const OUTPUT_SCHEMA = {
  version: 1 as const,
  columns: [
    { name: 'prediction', type: 'categorical' as const, storage: 'categorical' as const, nullable: false },
  ],
};

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'lathe-cli-export-'));
  wine = await example('wine', 'cultivar', false);
  winePipe = fitPipeline(wine, 'tree', new HistGradientBoostingClassifier({ maxIter: 10, nThreads: 1 }));
  archive = join(work, 'wine.lathe');
  await writeModelPackage(archive, {
    model: winePipe,
    task: 'multiclass',
    target: 'cultivar',
    inputSchema: inferSchema(wine.X),
    outputSchema: OUTPUT_SCHEMA,
    name: 'wine',
  });
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the exported file on `X` and compares with the classifier's own predictions. */
async function sameAsLathe(
  path: string,
  view: ExportView,
  X: Table,
  proba: Float64Array,
  labels: ArrayLike<Label>,
) {
  const s = await session(readFileSync(path));
  const out = await s.run(tableFeeds(X, view.inputs));
  assertClose(out.probabilities.data as Float64Array, proba, 1e-12, 'probabilities');
  assertSameLabels(labels, out.label.data as ArrayLike<unknown>, 'labels');
}

describe('lathe export', () => {
  it('exports a package archive and prints the --json shape', async () => {
    const out = join(work, 'out', 'wine.onnx');
    const r = await runCli(['export', archive, '--format', 'onnx', '-o', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as ExportView;
    assert.equal(view.path, out);
    assert.equal(view.bytes, readFileSync(out).length);
    assert.deepEqual(view.opset, { 'ai.onnx': 17, 'ai.onnx.ml': 3 });
    assert.equal(view.kind, 'classifier');
    assert.deepEqual(view.classes, ['class_0', 'class_1', 'class_2']);
    assert.equal(view.inputs.length, 13);
    assert.deepEqual(view.inputs[0], {
      name: 'alcohol',
      type: 'double',
      shape: ['N', 1],
      columns: [{ name: 'alcohol', type: 'numeric' }],
    });
    assert.deepEqual(
      view.outputs.map((o) => [o.name, o.type, o.shape]),
      [
        ['label', 'string', ['N']],
        ['probabilities', 'double', ['N', 3]],
      ],
    );
    assert.deepEqual(view.unusedColumns, []);
    assert.equal(view.model.name, 'wine');
    await sameAsLathe(
      out,
      view,
      wine.X,
      winePipe.predictProba(wine.X).data,
      winePipe.predict(wine.X) as Label[],
    );
  });

  it('replaces an existing file atomically, leaves no temporary file, and prints a summary', async () => {
    const out = join(work, 'again.onnx');
    writeFileSync(out, 'old');
    const r = await runCli(['export', archive, '-o', out, '--opset', '15', '--input-layout', 'matrix']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote .*again\.onnx .*ai\.onnx 15, ai\.onnx\.ml 3, a classifier/);
    assert.match(r.stdout, /inputs {2}\(1\): X double\[N, 13\]/);
    assert.notEqual(readFileSync(out, 'utf8').slice(0, 3), 'old');
    assert.deepEqual(
      readdirSync(work).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('composes a package’s separate preprocessing step with its model', async () => {
    const customers = await example('customers', 'churned', false);
    const pre = customers.forModel('linear').fit(customers.X);
    const Z = pre.transform(customers.X);
    const model = new LogisticRegression().fit(Z, customers.y as Label[]);
    const dir = join(work, 'churn-pkg');
    await writeModelPackage(dir, {
      model,
      preprocessing: pre,
      task: 'binary',
      target: 'churned',
      inputSchema: inferSchema(customers.X),
      outputSchema: OUTPUT_SCHEMA,
    });
    const out = join(work, 'churn.onnx');
    const r = await runCli(['export', dir, '-o', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /does not read customer_id; it is not an input/);
    const view = JSON.parse(r.stdout) as ExportView;
    assert.deepEqual(view.unusedColumns, ['customer_id']);
    await sameAsLathe(out, view, customers.X, model.predictProba(Z).data, model.predict(Z));
  });

  it('exports a registry reference (name@alias)', async () => {
    const store = join(work, 'store', 'lathe.db');
    const reg = await runCli([
      'models',
      'register',
      'wine',
      archive,
      '--alias',
      'champion',
      '--store',
      store,
    ]);
    assert.equal(reg.code, 0, reg.stderr);
    const out = join(work, 'champion.onnx');
    const r = await runCli(['export', 'wine@champion', '-o', out, '--json', '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    const view = JSON.parse(r.stdout) as ExportView;
    assert.deepEqual([view.model.ref, view.model.name, view.model.version], ['wine@champion', 'wine', 1]);
    assert.equal(summarize(readFileSync(out)).metadata['lathe.package'], 'wine/1');

    // Never over the registry: not the stored package a reference resolves to, not the database,
    // not anything else in the store's artifact folder.
    const stored = view.model.path;
    const before = [readFileSync(stored), readFileSync(store)];
    for (const o of [stored, store, join(work, 'store', 'artifacts', 'x.onnx')]) {
      const bad = await runCli(['export', 'wine@champion', '-o', o, '--store', store]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(
        bad.stderr,
        /-o .* (is the same file as|is inside) the (tracking store|stored package).*Fix: /,
      );
    }
    assert.deepEqual([readFileSync(stored), readFileSync(store)], before, 'the store is untouched');
    const reuse = await runCli([
      'export',
      'wine@champion',
      '-o',
      join(work, 'again2.onnx'),
      '--store',
      store,
    ]);
    assert.equal(reuse.code, 0, reuse.stderr);
  });

  it('requires the .onnx extension, so that no file of another kind is replaced', async () => {
    const csv = join(work, 'scores.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const r = await runCli(['export', archive, '--format', 'onnx', '-o', csv]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /-o .*scores\.csv: an ONNX file must be named \*\.onnx \(not \.csv\).*-o scores\.onnx/,
    );
    assert.equal(readFileSync(csv, 'utf8'), 'a,b\n1,2\n');
    const upper = await runCli(['export', archive, '-o', join(work, 'UP.ONNX')]);
    assert.equal(upper.code, 0, upper.stderr);
  });

  it('exits 2 with a clear message for bad usage and unsupported models', async () => {
    const noOut = await runCli(['export', archive]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /needs -o FILE/);
    const format = await runCli(['export', archive, '--format', 'pmml', '-o', join(work, 'x.pmml')]);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of onnx/);
    // the flag's range, in the flag's name (not the library function's)
    const opset = await runCli(['export', archive, '--opset', '12', '-o', join(work, 'x.onnx')]);
    assert.equal(opset.code, 2);
    assert.match(opset.stderr, /^error: --opset must be an integer from 13 to 21; got '12'\./);
    assert.doesNotMatch(opset.stderr, /exportOnnx/);
    assert.ok(!existsSync(join(work, 'x.onnx')));

    const before = readFileSync(archive);
    const same = await runCli(['export', archive, '-o', archive]);
    assert.equal(same.code, 2, same.stderr);
    assert.match(
      same.stderr,
      /-o .*wine\.lathe is the same file as the model .*Fix: choose another path for -o/,
    );
    assert.deepEqual(readFileSync(archive), before, 'the package is untouched');

    const knn = join(work, 'knn.lathe');
    await writeModelPackage(knn, {
      model: fitPipeline(wine, 'distance', new KNeighborsClassifier()),
      task: 'multiclass',
      target: 'cultivar',
      inputSchema: inferSchema(wine.X),
      outputSchema: OUTPUT_SCHEMA,
    });
    const r = await runCli(['export', knn, '-o', join(work, 'knn.onnx')]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: .*knn\.lathe cannot be exported to ONNX: it is a knn model \(KNeighborsClassifier\); the model families lathe export converts are linear, ridge, lasso, elasticnet, logistic, tree, random-forest, extra-trees, gbdt\. Fix: train one of those families .*lathe predict/,
    );
    assert.match(r.stderr, /this model can still score rows with lathe predict .*knn\.lathe <data>\.\n/);
    // only commands that exist: there is no `lathe serve` (yet), so the fix must not send users to it
    assert.doesNotMatch(r.stderr, /lathe serve/);
    assert.doesNotMatch(r.stderr, /exportOnnx|Pipeline|LinearRegression/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
    assert.ok(!existsSync(join(work, 'knn.onnx')));
  });
});
