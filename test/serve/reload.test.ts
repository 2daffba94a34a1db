import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import { outputSchemaFor } from '../../src/automl/package.ts';
import { trainModel } from '../../src/automl/train.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import { createServer, ModelReloader, ServedModel, ServedModels } from '../../src/serve/index.ts';

const rows = tableFromObjects(
  Array.from({ length: 80 }, (_, i) => ({
    age: 20 + ((i * 7) % 45),
    plan: ['basic', 'pro', 'team'][i % 3],
    churned: (i * 7) % 45 > 25 || i % 3 === 0 ? 'yes' : 'no',
  })),
);
const fitted = trainModel(rows, { family: 'logistic', target: 'churned', holdout: 0 });
// A second model of other classes: a new version may differ in anything but its name.
const flipped = trainModel(
  tableFromObjects(
    Array.from({ length: 80 }, (_, i) => ({
      age: 20 + ((i * 7) % 45),
      plan: ['basic', 'pro', 'team'][i % 3],
      churned: (i * 7) % 45 > 25 ? 'Y' : 'N',
    })),
  ),
  { family: 'tree', target: 'churned', holdout: 0 },
);

function model(name: string, version: string, which = fitted): ServedModel {
  return new ServedModel({
    name,
    version,
    model: which.model,
    inputSchema: which.inputSchema,
    outputSchema: outputSchemaFor(which.task, which.classes, 0),
    task: 'binary',
  });
}

const infer = (app: ReturnType<typeof createServer>, url = '/v2/models/churn/infer') =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: {
      inputs: [
        { name: 'age', shape: [1], datatype: 'FP64', data: [60] },
        { name: 'plan', shape: [1], datatype: 'BYTES', data: ['basic'] },
      ],
    },
  });

describe('ServedModels', () => {
  it('lists, finds and replaces models by name; refuses none, twins and an unknown name', () => {
    const set = new ServedModels([model('churn', '1'), model('spend', '4')]);
    assert.deepEqual(set.names(), ['churn', 'spend']);
    assert.equal(set.size, 2);
    const old = set.replace(model('churn', '2'));
    assert.equal(old.version, '1');
    assert.equal(set.get('churn')?.version, '2');
    assert.deepEqual(
      set.list().map((m) => `${m.name}/${m.version}`),
      ['churn/2', 'spend/4'],
    );
    assert.equal(set.get('nope'), undefined);
    assert.throws(() => set.replace(model('nope', '1')), /No model named "nope" is served.*churn, spend/s);
    assert.throws(() => new ServedModels([]), /no model to serve/);
    assert.throws(() => new ServedModels([model('a', '1'), model('a', '2')]), /Two models are named "a"/);
  });

  it('a server over a ServedModels answers with the replacement from the next request on', async () => {
    const set = new ServedModels([model('churn', '1')]);
    const app = createServer(set);
    const before = await infer(app);
    assert.equal(before.json().model_version, '1');
    assert.deepEqual(before.json().outputs[0].data, ['yes']);
    set.replace(model('churn', '2', flipped));
    const after = await infer(app);
    assert.equal(after.json().model_version, '2');
    assert.ok(['Y', 'N'].includes(after.json().outputs[0].data[0]), after.body);
    // The old version's route is a 404 naming the version served now; metadata and / show it.
    const old = await infer(app, '/v2/models/churn/versions/1/infer');
    assert.equal(old.statusCode, 404);
    assert.match(old.json().error, /served at version 2, not "1"/);
    assert.deepEqual((await app.inject({ url: '/v2/models/churn' })).json().versions, ['2']);
    assert.equal((await app.inject({ url: '/' })).json().models[0].version, '2');
    const records = await app.inject({
      method: 'POST',
      url: '/invocations',
      headers: { 'content-type': 'application/json' },
      payload: { dataframe_records: [{ age: 60, plan: 'basic' }] },
    });
    assert.deepEqual(records.json().predictions, after.json().outputs[0].data);
    await app.close();
  });
});

/** A reload source over an in-memory "registry": ref → [identity, version]. */
function fakeSource(points: Map<string, [string, string]>, calls: string[]) {
  return {
    identify: async (ref: string) => {
      calls.push(`identify ${ref}`);
      const p = points.get(ref);
      if (!p) throw new Error(`no model ${ref}`);
      return p[0];
    },
    load: async (ref: string, name: string) => {
      calls.push(`load ${ref}`);
      const p = points.get(ref);
      if (!p) throw new Error(`no model ${ref}`);
      if (p[1] === 'broken') throw new Error('the package is damaged');
      return model(name, p[1]);
    },
  };
}

describe('ModelReloader', () => {
  it('loads nothing while references point where they did, and swaps in what a moved one points at', async () => {
    const set = new ServedModels([model('churn', '1'), model('spend', '7')]);
    const points = new Map<string, [string, string]>([
      ['churn@prod', ['v1', '1']],
      ['spend/7', ['v7', '7']],
    ]);
    const calls: string[] = [];
    const r = new ModelReloader(
      set,
      [
        { name: 'churn', ref: 'churn@prod', identity: 'v1' },
        { name: 'spend', ref: 'spend/7', identity: 'v7' },
      ],
      fakeSource(points, calls),
    );
    assert.deepEqual(await r.check(), []);
    assert.deepEqual(calls, ['identify churn@prod', 'identify spend/7']);
    points.set('churn@prod', ['v2', '2']);
    calls.length = 0;
    assert.deepEqual(await r.check(), [
      { name: 'churn', ref: 'churn@prod', outcome: 'reloaded', from: '1', to: '2' },
    ]);
    assert.deepEqual(calls, ['identify churn@prod', 'load churn@prod', 'identify spend/7']);
    assert.equal(set.get('churn')?.version, '2');
    assert.equal(set.get('spend')?.version, '7');
    // Seen once, not loaded again.
    calls.length = 0;
    assert.deepEqual(await r.check(), []);
    assert.deepEqual(calls, ['identify churn@prod', 'identify spend/7']);
  });

  it('keeps serving what it serves when the reference cannot be resolved or loaded, and retries', async () => {
    const set = new ServedModels([model('churn', '1')]);
    const points = new Map<string, [string, string]>([['churn@prod', ['v3', 'broken']]]);
    const calls: string[] = [];
    const r = new ModelReloader(
      set,
      [{ name: 'churn', ref: 'churn@prod', identity: 'v1' }],
      fakeSource(points, calls),
    );
    assert.deepEqual(await r.check(), [
      {
        name: 'churn',
        ref: 'churn@prod',
        outcome: 'failed',
        version: '1',
        error: 'the package is damaged',
        lasting: false,
      },
    ]);
    assert.equal(set.get('churn')?.version, '1');
    points.delete('churn@prod');
    const [gone] = await r.check();
    assert.equal(gone.outcome, 'failed');
    assert.match((gone as { error: string }).error, /no model churn@prod/);
    points.set('churn@prod', ['v3', '3']);
    assert.deepEqual(await r.check(), [
      { name: 'churn', ref: 'churn@prod', outcome: 'reloaded', from: '1', to: '3' },
    ]);
  });

  it('loads a package that failed for good again only once the reference points elsewhere', async () => {
    const set = new ServedModels([model('churn', '1')]);
    const points = new Map<string, [string, string]>([['churn@prod', ['v3', 'broken']]]);
    const calls: string[] = [];
    const source = { ...fakeSource(points, calls), lasting: (e: unknown) => /damaged/.test(String(e)) };
    const r = new ModelReloader(set, [{ name: 'churn', ref: 'churn@prod', identity: 'v1' }], source);
    const [first] = await r.check();
    assert.equal(first.outcome, 'failed');
    assert.equal((first as { lasting: boolean }).lasting, true);
    // The same identity: looked at, not loaded, nothing to report (it was reported once).
    assert.deepEqual(await r.check(), []);
    assert.deepEqual(await r.check(), []);
    assert.deepEqual(calls, [
      'identify churn@prod',
      'load churn@prod',
      'identify churn@prod',
      'identify churn@prod',
    ]);
    assert.equal(set.get('churn')?.version, '1');
    // Moved to a good version: loaded and served.
    points.set('churn@prod', ['v4', '4']);
    assert.deepEqual(await r.check(), [
      { name: 'churn', ref: 'churn@prod', outcome: 'reloaded', from: '1', to: '4' },
    ]);
    // A failure the source does not call lasting is retried at every check.
    points.set('churn@prod', ['v5', 'broken']);
    const retried = new ModelReloader(set, [{ name: 'churn', ref: 'churn@prod', identity: 'v4' }], {
      ...fakeSource(points, calls),
      lasting: () => false,
    });
    assert.equal((await retried.check()).length, 1);
    assert.equal((await retried.check()).length, 1);
  });

  it('keeps the model when what the reference points at is the version served (a package rewritten alike)', async () => {
    const set = new ServedModels([model('churn', '1')]);
    const served = set.get('churn');
    const points = new Map<string, [string, string]>([['pkg', ['stat-b', '1']]]);
    const calls: string[] = [];
    const r = new ModelReloader(
      set,
      [{ name: 'churn', ref: 'pkg', identity: 'stat-a' }],
      fakeSource(points, calls),
    );
    assert.deepEqual(await r.check(), []);
    assert.equal(set.get('churn'), served);
    assert.deepEqual(calls, ['identify pkg', 'load pkg']);
    calls.length = 0;
    await r.check();
    assert.deepEqual(calls, ['identify pkg'], 'the new identity is remembered');
  });

  it('never runs two checks at once: checks asked while one runs share one more, which starts after it', async () => {
    const set = new ServedModels([model('churn', '1'), model('spend', '7')]);
    const points = new Map<string, [string, string]>([
      ['churn@prod', ['v1', '1']],
      ['spend/7', ['v7', '7']],
    ]);
    const calls: string[] = [];
    const source = fakeSource(points, calls);
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const r = new ModelReloader(
      set,
      [
        { name: 'churn', ref: 'churn@prod', identity: 'v1' },
        { name: 'spend', ref: 'spend/7', identity: 'v7' },
      ],
      {
        identify: async (ref) => {
          running++;
          most = Math.max(most, running);
          if (ref === 'spend/7') await gate;
          running--;
          return source.identify(ref);
        },
        load: source.load,
      },
    );
    const a = r.check();
    while (!calls.includes('identify churn@prod')) await new Promise((done) => setImmediate(done));
    // The first check has looked at churn@prod (unchanged) and waits on spend/7. Now the alias
    // moves and SIGHUP (or the timer) asks for a check, twice: the move must not be missed.
    points.set('churn@prod', ['v2', '2']);
    const b = r.check();
    const c = r.check();
    assert.equal(b, c, 'the calls made meanwhile share one check (its events are reported once)');
    assert.notEqual(a, b);
    release();
    assert.deepEqual(await a, []);
    assert.deepEqual(await b, [
      { name: 'churn', ref: 'churn@prod', outcome: 'reloaded', from: '1', to: '2' },
    ]);
    assert.equal(set.get('churn')?.version, '2', 'the move made during the first check is served');
    assert.equal(most, 1, 'no two checks overlap');
    calls.length = 0;
    assert.deepEqual(await r.check(), []);
    assert.deepEqual(calls, ['identify churn@prod', 'identify spend/7'], 'a later check runs again');
  });
});
