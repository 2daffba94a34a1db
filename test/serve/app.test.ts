import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import '../../src/index.ts';
import { outputSchemaFor } from '../../src/automl/package.ts';
import { predictTable } from '../../src/automl/predict.ts';
import { type TrainResult, trainModel } from '../../src/automl/train.ts';
import { columnValues } from '../../src/data/column.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import { readTable } from '../../src/data/read/index.ts';
import type { Table } from '../../src/data/table.ts';
import { createServer, PredictionLog, ServedModel } from '../../src/serve/index.ts';

const customers = tableFromObjects(
  Array.from({ length: 90 }, (_, i) => ({
    age: 20 + ((i * 7) % 45),
    plan: ['basic', 'pro', 'team'][i % 3],
    spend: i % 5 === 0 ? null : 10 + ((i * 13) % 70),
    churned: (i * 7) % 45 > 25 || i % 3 === 0 ? 'yes' : 'no',
  })),
);

function served(r: TrainResult, name: string): ServedModel {
  const nComponents = r.task === 'transform' ? Number(r.metrics.nComponents) : 0;
  return new ServedModel({
    name,
    version: '1',
    model: r.model,
    inputSchema: r.inputSchema,
    outputSchema: outputSchemaFor(r.task, r.classes, nComponents),
    task: r.task === 'transform' ? 'transform' : r.task,
  });
}

const clf = trainModel(customers, { family: 'logistic', target: 'churned', holdout: 0 });
const reg = trainModel(customers.drop(['churned']), { family: 'ridge', target: 'spend', holdout: 0 });
const features = customers.drop(['churned']);
const km = trainModel(features, { family: 'kmeans', target: null, holdout: 0, params: { nClusters: 3 } });
const pca = trainModel(features, { family: 'pca', target: null, holdout: 0 });
const churn = served(clf, 'churn');

/** Rows as one OIP input per column, typed by their JavaScript values. */
function tensors(t: Table): unknown[] {
  return t.columnNames.map((n) => {
    const data = columnValues(t.column(n));
    const datatype = data.some((v) => typeof v === 'string') ? 'BYTES' : 'FP64';
    return { name: n, shape: [data.length], datatype, data };
  });
}

async function call(
  app: ReturnType<typeof createServer>,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(payload !== undefined && typeof payload !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    payload: payload as never,
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, headers: res.headers };
}

describe('createServer: scoring', () => {
  const app = createServer([churn, served(reg, 'spend'), served(km, 'segments'), served(pca, 'axes')]);
  const rows = features.slice(0, 12);

  it('scores a classifier as lathe predict does, with the probabilities asked for', async () => {
    const want = predictTable(clf.model, clf.inputSchema, rows, { proba: true });
    const r = await call(app, 'POST', '/v2/models/churn/infer', {
      id: 'req-1',
      inputs: tensors(rows),
      outputs: [{ name: 'prediction' }, { name: 'proba_yes' }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.model_name, 'churn');
    assert.equal(r.body.model_version, '1');
    assert.equal(r.body.id, 'req-1');
    assert.deepEqual(
      r.body.outputs.map((o: { name: string }) => o.name),
      ['prediction', 'proba_yes'],
    );
    assert.deepEqual(r.body.outputs[0], {
      name: 'prediction',
      datatype: 'BYTES',
      shape: [12],
      data: columnValues(want.table.column('prediction')),
    });
    assert.deepEqual(r.body.outputs[1].data, Array.from(want.table.values('proba_yes')));
    assert.equal(r.body.outputs[1].datatype, 'FP64');
  });

  it('gives only the prediction by default, and echoes a generated id', async () => {
    const r = await call(app, 'POST', '/v2/models/churn/infer', { inputs: tensors(rows) });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.outputs.map((o: { name: string }) => o.name),
      ['prediction'],
    );
    assert.match(r.body.id, /^[0-9a-f-]{36}$/);
  });

  it('scores a regressor, a clustering (cluster indices as INT64) and a PCA (every component)', async () => {
    const spend = await call(app, 'POST', '/v2/models/spend/infer', {
      inputs: tensors(rows.drop(['spend'])),
    });
    assert.equal(spend.status, 200);
    assert.deepEqual(
      spend.body.outputs[0].data,
      Array.from(predictTable(reg.model, reg.inputSchema, rows).predictions as Float64Array),
    );
    const seg = await call(app, 'POST', '/v2/models/segments/infer', { inputs: tensors(rows) });
    assert.equal(seg.body.outputs[0].datatype, 'INT64');
    assert.deepEqual(
      seg.body.outputs[0].data,
      Array.from(predictTable(km.model, km.inputSchema, rows).predictions as Int32Array),
    );
    const axes = await call(app, 'POST', '/v2/models/axes/infer', { inputs: tensors(rows) });
    const want = predictTable(pca.model, pca.inputSchema, rows).table;
    assert.deepEqual(
      axes.body.outputs.map((o: { name: string }) => o.name),
      want.columnNames,
    );
    for (const o of axes.body.outputs) assert.deepEqual(o.data, Array.from(want.values(o.name) as number[]));
  });

  it('metadata lists the inputs with their types and categories, and outputs named as the predictions', async () => {
    const r = await call(app, 'GET', '/v2/models/churn');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.versions, ['1']);
    const inputs = Object.fromEntries(r.body.inputs.map((i: { name: string }) => [i.name, i]));
    assert.equal(inputs.age.datatype, 'FP64');
    assert.equal(inputs.plan.datatype, 'BYTES');
    assert.deepEqual([...inputs.plan.parameters.categories].sort(), ['basic', 'pro', 'team']);
    assert.deepEqual(
      r.body.outputs.map((o: { name: string }) => o.name),
      ['prediction', 'proba_no', 'proba_yes'],
    );
    const axes = await call(app, 'GET', '/v2/models/axes');
    const names = predictTable(pca.model, pca.inputSchema, rows).table.columnNames;
    assert.deepEqual(
      axes.body.outputs.map((o: { name: string }) => o.name),
      names,
    );
    assert.equal((await call(app, 'GET', '/v2/models/churn/versions/1')).status, 200);
    assert.deepEqual((await call(app, 'GET', '/v2/models/churn/ready')).body, { name: 'churn', ready: true });
    assert.deepEqual((await call(app, 'GET', '/v2/health/live')).body, { live: true });
    assert.deepEqual((await call(app, 'GET', '/v2/health/ready')).body, { ready: true });
    assert.equal((await call(app, 'GET', '/v2')).body.name, 'lathe');
    assert.equal((await call(app, 'GET', '/')).body.models.length, 4);
  });

  it('takes one two-dimensional input holding the columns in order, and null as a missing value', async () => {
    const perColumn = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: [
        { name: 'age', shape: [2], datatype: 'FP64', data: [30, 61] },
        { name: 'plan', shape: [2], datatype: 'BYTES', data: ['pro', null] },
        { name: 'spend', shape: [2, 1], datatype: 'FP64', data: [[12], [null]] },
      ],
    });
    assert.equal(perColumn.status, 200);
    const want = predictTable(
      clf.model,
      clf.inputSchema,
      tableFromObjects([
        { age: 30, plan: 'pro', spend: 12 },
        { age: 61, plan: null, spend: null },
      ]),
    );
    assert.deepEqual(perColumn.body.outputs[0].data, columnValues(want.table.column('prediction')));
    const matrix = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: [
        {
          name: 'rows',
          shape: [2, 3],
          datatype: 'BYTES',
          data: [
            ['30', 'pro', '12'],
            ['61', null, null],
          ],
        },
      ],
    });
    assert.equal(matrix.status, 200);
    assert.deepEqual(matrix.body.outputs[0].data, perColumn.body.outputs[0].data);
    const narrow = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: [{ name: 'rows', shape: [1, 2], datatype: 'FP64', data: [30, 12] }],
    });
    assert.equal(narrow.status, 400);
    assert.match(narrow.body.error, /shape \[1, 2\].*this model takes 3 \(age, plan, spend\)/);
  });

  it('says which inputs it ignored and which categories it has not seen', async () => {
    const r = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: [
        { name: 'age', shape: [1], datatype: 'FP64', data: [40] },
        { name: 'plan', shape: [1], datatype: 'BYTES', data: ['gold'] },
        { name: 'spend', shape: [1], datatype: 'FP64', data: [20] },
        { name: 'customer_id', shape: [1], datatype: 'BYTES', data: ['c-17'] },
      ],
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.parameters, {
      ignored_inputs: ['customer_id'],
      unseen_categories: [{ input: 'plan', rows: 1, examples: ['gold'] }],
    });
  });

  it('answers a request of zero rows with empty outputs, for every model (a PCA too)', async () => {
    const none = features.slice(0, 0);
    for (const name of ['churn', 'segments', 'axes']) {
      const r = await call(app, 'POST', `/v2/models/${name}/infer`, { inputs: tensors(none) });
      assert.equal(r.status, 200, `${name}: ${JSON.stringify(r.body)}`);
      const meta = await call(app, 'GET', `/v2/models/${name}`);
      assert.deepEqual(
        r.body.outputs.map((o: { name: string }) => o.name),
        meta.body.parameters.defaultOutputs,
      );
      for (const o of r.body.outputs) assert.deepEqual([o.shape, o.data], [[0], []]);
    }
  });
});

describe('createServer: dates in the format of the training file', () => {
  // Trained as lathe train does (the reader's schema, with the file's %d/%m/%Y): m is the month.
  const dir = mkdtempSync(join(tmpdir(), 'lathe-serve-dates-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let app: ReturnType<typeof createServer>;
  before(async () => {
    const rows = ['d,z,m'];
    for (let i = 0; i < 112; i++) {
      const month = 5 + (i % 2);
      const day = String((Math.floor(i / 2) % 28) + 1).padStart(2, '0');
      rows.push(`${day}/0${month}/2023,${(i * 7) % 10},${month === 6 ? 'jun' : 'may'}`);
    }
    writeFileSync(join(dir, 'train.csv'), `${rows.join('\n')}\n`);
    const read = await readTable(join(dir, 'train.csv'));
    const r = trainModel(read.table, { family: 'tree', target: 'm', holdout: 0, schema: read.schema });
    app = createServer([served(r, 'months')]);
  });
  const dates = (data: (string | null)[]) => ({
    inputs: [
      { name: 'd', shape: [data.length], datatype: 'BYTES', data },
      { name: 'z', shape: [data.length], datatype: 'FP64', data: data.map(() => 1) },
    ],
  });

  it('reads a lone 05/06/2023 day-first, as training did, and ISO dates as ISO', async () => {
    const meta = await call(app, 'GET', '/v2/models/months');
    assert.equal(
      meta.body.inputs.find((i: { name: string }) => i.name === 'd').parameters.format,
      '%d/%m/%Y',
    );
    const lone = await call(app, 'POST', '/v2/models/months/infer', dates(['05/06/2023']));
    assert.equal(lone.status, 200, JSON.stringify(lone.body));
    assert.deepEqual(lone.body.outputs[0].data, ['jun']);
    const mixed = await call(
      app,
      'POST',
      '/v2/models/months/infer',
      dates(['2023-05-07', '06/05/2023', '2023-06-07T10:00:00Z', '2023-06-08 09:15', null]),
    );
    assert.equal(mixed.status, 200, JSON.stringify(mixed.body));
    assert.deepEqual(mixed.body.outputs[0].data.slice(0, 4), ['may', 'may', 'jun', 'jun']);
    const records = await call(app, 'POST', '/invocations', {
      dataframe_records: [
        { d: '05/06/2023', z: 1 },
        { d: '2023-05-06', z: 1 },
      ],
    });
    assert.equal(records.status, 200, JSON.stringify(records.body));
    assert.deepEqual(records.body.predictions, ['jun', 'may']);
  });

  it('a date in neither form is a 400 naming the element, the format and ISO 8601', async () => {
    const r = await call(app, 'POST', '/v2/models/months/infer', dates(['2023-06-05', '13/13/2023']));
    assert.equal(r.status, 400);
    assert.match(
      r.body.error,
      /column 'd': element 1: "13\/13\/2023" is not a date\/time in the format %d\/%m\/%Y or ISO 8601 \(YYYY-MM-DD\)/,
    );
  });
});

describe('createServer: MLflow-style /invocations', () => {
  const app = createServer([churn]);
  const rows = features.slice(20, 26);
  const want = columnValues(predictTable(clf.model, clf.inputSchema, rows).table.column('prediction'));
  const records = Array.from({ length: rows.nRows }, (_, i) =>
    Object.fromEntries(rows.columnNames.map((n) => [n, columnValues(rows.column(n))[i]])),
  );

  it('scores dataframe_records, instances and dataframe_split alike', async () => {
    for (const body of [
      { dataframe_records: records },
      { instances: records },
      {
        dataframe_split: {
          columns: rows.columnNames,
          data: records.map((r) => rows.columnNames.map((n) => r[n])),
        },
      },
    ]) {
      const r = await call(app, 'POST', '/invocations', body);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { predictions: want });
    }
  });

  it('takes a record without a column as missing there, and refuses it with several models', async () => {
    const r = await call(app, 'POST', '/invocations', {
      dataframe_records: [
        { age: 30, plan: 'pro', spend: 5 },
        { age: 64, plan: 'team' },
      ],
    });
    assert.equal(r.status, 200);
    const t = tableFromObjects([
      { age: 30, plan: 'pro', spend: 5 },
      { age: 64, plan: 'team', spend: null },
    ]);
    assert.deepEqual(
      r.body.predictions,
      columnValues(predictTable(clf.model, clf.inputSchema, t).table.column('prediction')),
    );
    for (const body of [{ dataframe_records: [] }, { dataframe_records: [{}] }]) {
      const none = await call(app, 'POST', '/invocations', body);
      assert.equal(none.status, 400);
      assert.match(
        none.body.error,
        /lacks inputs model churn reads: "age", "plan", "spend" \(it sent no column\)/,
      );
    }
    const two = createServer([churn, served(reg, 'spend')]);
    const e = await call(two, 'POST', '/invocations', { dataframe_records: [{ age: 30 }] });
    assert.equal(e.status, 400);
    assert.match(e.body.error, /serves 2 \(churn, spend\).*\/v2\/models\/<name>\/infer/);
    const oip = await call(createServer([churn]), 'POST', '/invocations', { inputs: [] });
    assert.equal(oip.status, 400);
    assert.match(
      oip.body.error,
      /an object of "inputs"; it needs "dataframe_records".*goes to POST \/v2\/models\/<name>\/infer/,
    );
  });
});

describe('createServer: bad requests get a 4xx that says what is wrong, never a 500', () => {
  const internal: Error[] = [];
  const app = createServer([churn, served(reg, 'spend')], {
    maxRows: 5,
    bodyLimit: 4096,
    onInternalError: (e) => internal.push(e),
  });
  after(() => assert.deepEqual(internal, []));
  const ok = { name: 'age', shape: [1], datatype: 'FP64', data: [30] };
  const plan = { name: 'plan', shape: [1], datatype: 'BYTES', data: ['pro'] };
  const cases: [string, unknown, number, RegExp][] = [
    ['a body that is not an object', [1, 2], 400, /not a JSON object/],
    [
      'no inputs',
      {},
      400,
      /no "inputs".*Fix: send one input per column the model reads \(age, plan, spend\)/,
    ],
    [
      'an input without a name',
      { inputs: [{ shape: [1], datatype: 'FP64', data: [1] }] },
      400,
      /inputs\[0\] has no name/,
    ],
    [
      'an unknown datatype',
      { inputs: [{ ...ok, datatype: 'FLOAT' }] },
      400,
      /inputs\[0\] \("age"\): datatype "FLOAT" is not a datatype.*FP64/,
    ],
    ['a shape that is not a list', { inputs: [{ ...ok, shape: 1 }] }, 400, /shape 1 is not a list/],
    [
      'a shape that does not match the data',
      { inputs: [{ ...ok, shape: [2] }] },
      400,
      /shape \[2\] holds 2 values, but data has 1.*"shape": \[1\]/,
    ],
    [
      'a text element in a number input',
      { inputs: [{ ...ok, shape: [2], data: [1, 'x'] }] },
      400,
      /inputs\[0\] \("age"\): element 1 is "x", but datatype FP64 takes a finite number/,
    ],
    [
      'a number in a BYTES input',
      { inputs: [{ ...plan, data: [3] }] },
      400,
      /element 0 is 3, but datatype BYTES takes a string/,
    ],
    [
      'a fraction in an INT64 input',
      { inputs: [{ ...ok, datatype: 'INT64', data: [1.5] }] },
      400,
      /takes an integer from -9007199254740991 to 9007199254740991/,
    ],
    [
      'a negative number in a UINT8 input',
      { inputs: [{ ...ok, datatype: 'UINT8', data: [-1] }] },
      400,
      /element 0 is -1, but datatype UINT8 takes an integer from 0 to 255/,
    ],
    [
      'an INT8 input out of its range',
      { inputs: [{ ...ok, datatype: 'INT8', shape: [2], data: [5, 300] }] },
      400,
      /element 1 is 300, but datatype INT8 takes an integer from -128 to 127/,
    ],
    [
      'inputs of different lengths',
      { inputs: [ok, { ...plan, shape: [2], data: ['a', 'b'] }] },
      400,
      /inputs\[1\] \("plan"\) has 2 rows, but inputs\[0\] \("age"\) has 1/,
    ],
    ['one column twice', { inputs: [ok, ok] }, 400, /inputs\[0\] and inputs\[1\] are both named "age"/],
    [
      'a missing column',
      { inputs: [ok, plan] },
      400,
      /lacks an input model churn reads: "spend".*spend \(FP64\)/,
    ],
    [
      'text that is not a number',
      { inputs: [{ ...ok, datatype: 'BYTES', data: ['thirty'] }, plan, { ...ok, name: 'spend' }] },
      400,
      /'age'.*element 0: "thirty" is not a number/,
    ],
    [
      'an unknown output',
      { inputs: [ok, plan, { ...ok, name: 'spend' }], outputs: [{ name: 'score' }] },
      400,
      /no output "score".*prediction, proba_no, proba_yes/,
    ],
    [
      'too many rows',
      { inputs: [{ ...ok, shape: [6], data: [1, 2, 3, 4, 5, 6] }] },
      413,
      /6 rows; this server scores at most 5.*--max-rows/,
    ],
    ['an id that is not a string', { id: 7, inputs: [ok] }, 400, /"id" is 7, not a string/],
  ];
  for (const [what, body, status, message] of cases) {
    it(what, async () => {
      const r = await call(app, 'POST', '/v2/models/churn/infer', body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.match(r.body.error, message);
      assert.match(r.body.error, /Fix: /);
    });
  }

  it('a number beyond a double (1e400 parses to Infinity) is refused, in tensors and records', async () => {
    const raw = '{"inputs":[{"name":"age","shape":[1],"datatype":"FP64","data":[1e400]}]}';
    const r = await call(app, 'POST', '/v2/models/churn/infer', raw, { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    assert.match(r.body.error, /element 0 is Infinity, but datatype FP64 takes a finite number/);
    const one = createServer([churn]);
    const rec = await call(one, 'POST', '/invocations', '{"dataframe_records":[{"age":-1e400}]}', {
      'content-type': 'application/json',
    });
    assert.equal(rec.status, 400);
    assert.match(rec.body.error, /dataframe_records\[0\]\.age is a number beyond a double's range/);
  });

  it('unknown models, versions and routes are 404s naming what there is', async () => {
    const m = await call(app, 'POST', '/v2/models/churm/infer', { inputs: [ok] });
    assert.equal(m.status, 404);
    assert.match(m.body.error, /No model named "churm".*use one of churn, spend/);
    const v = await call(app, 'GET', '/v2/models/churn/versions/2');
    assert.equal(v.status, 404);
    assert.match(v.body.error, /served at version 1, not "2"/);
    const r = await call(app, 'GET', '/v3/models');
    assert.equal(r.status, 404);
    assert.match(r.body.error, /No route GET \/v3\/models.*GET \//);
    // A broken percent-escape: the server's own {error} body, not fastify's.
    const url = await call(app, 'GET', '/v2/models/%E0%A4%A');
    assert.equal(url.status, 400);
    assert.deepEqual(Object.keys(url.body), ['error']);
    assert.match(url.body.error, /URL .*%E0%A4%A.*Fix: /);
  });

  it('bodies that are not JSON, broken JSON, empty or too large', async () => {
    const form = await call(app, 'POST', '/v2/models/churn/infer', 'a=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);
    assert.match(form.body.error, /Content-Type: application\/json/);
    // A JSON text sent as text/plain is no JSON body either (fastify would hand the route a string).
    for (const url of ['/v2/models/churn/infer', '/invocations']) {
      const text = await call(app, 'POST', url, JSON.stringify({ inputs: tensors(features.slice(0, 1)) }), {
        'content-type': 'text/plain',
      });
      assert.equal(text.status, 415, `${url}: ${JSON.stringify(text.body)}`);
      assert.match(text.body.error, /Content-Type: application\/json/);
    }
    const broken = await call(app, 'POST', '/v2/models/churn/infer', '{"inputs": [', {
      'content-type': 'application/json',
    });
    assert.equal(broken.status, 400);
    assert.match(broken.body.error, /not valid JSON/);
    const poisoned = await call(
      app,
      'POST',
      '/v2/models/churn/infer',
      '{"inputs": [], "__proto__": {"x": 1}}',
      {
        'content-type': 'application/json',
      },
    );
    assert.equal(poisoned.status, 400);
    assert.match(poisoned.body.error, /"__proto__" key/);
    const empty = await call(app, 'POST', '/v2/models/churn/infer', '', {
      'content-type': 'application/json',
    });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error, /empty/);
    const big = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: [{ ...plan, data: ['x'.repeat(5000)] }],
    });
    assert.equal(big.status, 413);
    assert.match(big.body.error, /larger than this server takes \(4096 bytes\).*--max-body-mb/);
  });
});

describe('createServer: stopping', () => {
  it('answers a request that arrives while it stops with a 503 in its own form, saying to retry', async () => {
    const app = createServer([churn]);
    await app.ready();
    const closing = app.close();
    const r = await call(app, 'POST', '/v2/models/churn/infer', { inputs: tensors(features.slice(0, 1)) });
    await closing;
    assert.equal(r.status, 503);
    assert.deepEqual(Object.keys(r.body), ['error']);
    assert.match(r.body.error, /stopping.*Fix: /);
    assert.equal(r.headers.connection, 'close');
  });
});

describe('createServer: a fault of the server is a 500 without details, reported', () => {
  it('hides the error from the client and passes it to onInternalError', async () => {
    const broken = trainModel(customers, { family: 'logistic', target: 'churned', holdout: 0 });
    (broken.model as unknown as { predict: () => never }).predict = () => {
      throw new TypeError('boom at line 12');
    };
    const seen: string[] = [];
    const app = createServer([served(broken, 'churn')], { onInternalError: (e) => seen.push(e.message) });
    const r = await call(app, 'POST', '/v2/models/churn/infer', { inputs: tensors(features.slice(0, 2)) });
    assert.equal(r.status, 500);
    assert.doesNotMatch(r.body.error, /boom/);
    assert.deepEqual(seen, ['boom at line 12']);
  });
});

describe('createServer: bearer token', () => {
  const app = createServer([churn], { token: 's3cret-token' });
  const body = { inputs: tensors(features.slice(0, 2)) };

  it('refuses requests without the token or with another (401, WWW-Authenticate)', async () => {
    const none = await call(app, 'POST', '/v2/models/churn/infer', body);
    assert.equal(none.status, 401);
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    assert.match(none.body.error, /Authorization: Bearer <token>/);
    const wrong = await call(app, 'GET', '/v2/models/churn', undefined, { authorization: 'Bearer s3cret' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error, /not the server's/);
    assert.equal((await call(app, 'GET', '/', undefined, { authorization: 'Basic czNjcmV0' })).status, 401);
  });

  it('answers with the token, and the health checks without it', async () => {
    const r = await call(app, 'POST', '/v2/models/churn/infer', body, {
      authorization: 'Bearer s3cret-token',
    });
    assert.equal(r.status, 200);
    assert.equal((await call(app, 'GET', '/v2/health/live')).status, 200);
    assert.equal((await call(app, 'GET', '/v2/health/ready')).status, 200);
  });
});

describe('createServer: prediction log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per scoring request: inputs as read, outputs given; failures with their status', async () => {
    const path = join(dir, 'predictions.ndjson');
    const app = createServer([churn], { log: PredictionLog.open(path) });
    const ok = await call(app, 'POST', '/v2/models/churn/infer', {
      id: 'a',
      inputs: [
        { name: 'age', shape: [2], datatype: 'FP64', data: [30, 40] },
        { name: 'plan', shape: [2], datatype: 'BYTES', data: ['pro', null] },
        { name: 'spend', shape: [2], datatype: 'BYTES', data: ['12.5', null] },
      ],
    });
    assert.equal(ok.status, 200);
    const bad = await call(app, 'POST', '/v2/models/churn/infer', {
      id: 'b',
      inputs: [{ name: 'age', shape: [1], datatype: 'FP64', data: [1] }],
    });
    assert.equal(bad.status, 400);
    await call(app, 'POST', '/invocations', { dataframe_records: [{ age: 50, plan: 'team', spend: 3 }] });
    await app.close();
    // More rows than --max-rows: a 413, logged (docs/serve.md); a body over the byte limit is not.
    const small = join(dir, 'limits.ndjson');
    const limited = createServer([churn], { log: PredictionLog.open(small), maxRows: 1, bodyLimit: 2000 });
    const many = await call(limited, 'POST', '/invocations', {
      dataframe_records: [{ age: 50 }, { age: 51 }],
    });
    assert.equal(many.status, 413);
    const big = await call(limited, 'POST', '/invocations', {
      dataframe_records: [{ age: 'x'.repeat(3000) }],
    });
    assert.equal(big.status, 413);
    await limited.close();
    const logged = readFileSync(small, 'utf8').trimEnd().split('\n');
    assert.equal(logged.length, 1);
    assert.deepEqual([JSON.parse(logged[0]).status, JSON.parse(logged[0]).rows], [413, 0]);
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.equal(lines[0].id, 'a');
    assert.equal(lines[0].status, 200);
    assert.equal(lines[0].rows, 2);
    assert.deepEqual(lines[0].inputs, { age: [30, 40], plan: ['pro', null], spend: [12.5, null] });
    assert.deepEqual(lines[0].outputs, { prediction: ok.body.outputs[0].data });
    assert.equal(lines[1].id, 'b');
    assert.equal(lines[1].status, 400);
    assert.match(lines[1].error, /lacks inputs/);
    assert.equal(lines[1].rows, 1);
    assert.equal(lines[1].outputs, undefined);
    assert.equal(lines[2].rows, 1);
    for (const l of lines) {
      assert.equal(l.model, 'churn');
      assert.equal(l.version, '1');
      assert.ok(l.latencyMs >= 0);
      assert.ok(!Number.isNaN(Date.parse(l.time)));
    }
  });

  it('gives no prediction it cannot log: 503, and readiness false from then on', async () => {
    const app = createServer([churn], { log: PredictionLog.open('/dev/full') });
    const r = await call(app, 'POST', '/v2/models/churn/infer', { inputs: tensors(features.slice(0, 2)) });
    assert.equal(r.status, 503);
    assert.match(r.body.error, /prediction log \/dev\/full cannot be written \(ENOSPC\)/);
    assert.equal(r.body.outputs, undefined);
    const again = await call(app, 'POST', '/v2/models/churn/infer', {
      inputs: tensors(features.slice(0, 2)),
    });
    assert.equal(again.status, 503);
    assert.deepEqual((await call(app, 'GET', '/v2/health/ready')).body, { ready: false });
    assert.equal((await call(app, 'GET', '/v2/health/ready')).status, 503);
    assert.equal((await call(app, 'GET', '/v2/health/live')).status, 200);
  });

  it('refuses a log path it cannot open, naming it', () => {
    assert.throws(
      () => PredictionLog.open(join(dir, 'no', 'such', 'log.ndjson')),
      /cannot be opened for writing \(its folder does not exist\)/,
    );
    assert.throws(() => PredictionLog.open(dir), /it is a folder/);
  });
});

describe('createServer and ServedModel: set-up errors', () => {
  it('needs a model, names apart, and URL-safe names', () => {
    assert.throws(() => createServer([]), /no model to serve/);
    assert.throws(() => createServer([churn, served(clf, 'churn')]), /Two models are named "churn"/);
    assert.throws(() => served(clf, 'churn model'), /URL-safe word.*"churn model"/);
  });
});
