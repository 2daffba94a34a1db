import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import '../../src/index.ts';
import { outputSchemaFor } from '../../src/automl/package.ts';
import { trainModel } from '../../src/automl/train.ts';
import { tableFromObjects } from '../../src/data/from-rows.ts';
import {
  createServer,
  LATENCY_BUCKETS,
  PredictionLog,
  ServedModel,
  ServedModels,
  ServerMetrics,
} from '../../src/serve/index.ts';

const rows = tableFromObjects(
  Array.from({ length: 60 }, (_, i) => ({
    age: 20 + ((i * 7) % 45),
    plan: ['basic', 'pro', 'team'][i % 3],
    churned: (i * 7) % 45 > 25 || i % 3 === 0 ? 'yes' : 'no',
  })),
);
const fitted = trainModel(rows, { family: 'logistic', target: 'churned', holdout: 0 });
const churn = (version: string) =>
  new ServedModel({
    name: 'churn',
    version,
    model: fitted.model,
    inputSchema: fitted.inputSchema,
    outputSchema: outputSchemaFor(fitted.task, fitted.classes, 0),
    task: 'binary',
  });

/** The samples of a text exposition: `name{labels}` → value; and the TYPE of each family. */
function parse(text: string): { samples: Map<string, number>; types: Map<string, string> } {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  for (const line of text.trimEnd().split('\n')) {
    const t = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (t) {
      types.set(t[1], t[2]);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-z_:][a-z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    const value = m[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[3]);
    assert.ok(!Number.isNaN(value), `a number: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, value);
  }
  return { samples, types };
}

const body = (data: unknown[]) => ({
  inputs: [
    { name: 'age', shape: [data.length], datatype: 'FP64', data },
    { name: 'plan', shape: [data.length], datatype: 'BYTES', data: data.map(() => 'pro') },
  ],
});

describe('GET /metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-metrics-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts scoring requests by model, version, route and status; rows; latency; the version served', async () => {
    const set = new ServedModels([churn('1')]);
    const metrics = new ServerMetrics();
    const app = createServer(set, { metrics, log: PredictionLog.open(join(dir, 'log.ndjson')) });
    const post = (url: string, payload: unknown) =>
      app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: payload as never,
      });
    assert.equal((await post('/v2/models/churn/infer', body([30, 40, 50]))).statusCode, 200);
    assert.equal((await post('/v2/models/churn/versions/1/infer', body([30]))).statusCode, 200);
    assert.equal((await post('/v2/models/churn/infer', { inputs: [] })).statusCode, 400);
    assert.equal((await post('/v2/models/nosuch/infer', body([1]))).statusCode, 404);
    assert.equal((await post('/v2/models/other-name/infer', body([1]))).statusCode, 404);
    assert.equal(
      (await post('/invocations', { dataframe_records: [{ age: 3, plan: 'pro' }] })).statusCode,
      200,
    );
    set.replace(churn('2'));
    assert.equal((await post('/v2/models/churn/infer', body([70, 80]))).statusCode, 200);
    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const { samples, types } = parse(res.body);
    const get = (k: string) => samples.get(k);
    assert.equal(
      get('lathe_inference_requests_total{model="churn",version="1",route="infer",status="200"}'),
      2,
    );
    assert.equal(
      get('lathe_inference_requests_total{model="churn",version="1",route="infer",status="400"}'),
      1,
    );
    assert.equal(
      get('lathe_inference_requests_total{model="churn",version="1",route="invocations",status="200"}'),
      1,
    );
    assert.equal(
      get('lathe_inference_requests_total{model="churn",version="2",route="infer",status="200"}'),
      1,
    );
    // Names that are not served add no series of their own.
    assert.equal(get('lathe_inference_requests_total{model="",version="",route="infer",status="404"}'), 2);
    assert.ok(![...samples.keys()].some((k) => k.includes('nosuch') || k.includes('other-name')));
    assert.equal(get('lathe_inference_rows_total{model="churn",version="1"}'), 5);
    assert.equal(get('lathe_inference_rows_total{model="churn",version="2"}'), 2);
    assert.equal(get('lathe_model_info{model="churn",version="2",task="binary"}'), 1);
    assert.equal(get('lathe_model_info{model="churn",version="1",task="binary"}'), undefined);
    assert.equal(get('lathe_prediction_log_ready'), 1);
    // The histogram: cumulative buckets ending in +Inf = count, a sum, for every request of churn.
    const bucket = (le: string) =>
      get(`lathe_inference_duration_seconds_bucket{model="churn",le="${le}"}`) as number;
    const les = [...LATENCY_BUCKETS.map(String), '+Inf'];
    for (let i = 1; i < les.length; i++)
      assert.ok(bucket(les[i]) >= bucket(les[i - 1]), `cumulative at ${les[i]}`);
    assert.equal(bucket('+Inf'), 5);
    assert.equal(get('lathe_inference_duration_seconds_count{model="churn"}'), 5);
    assert.ok((get('lathe_inference_duration_seconds_sum{model="churn"}') as number) > 0);
    assert.equal(types.get('lathe_inference_duration_seconds'), 'histogram');
    assert.equal(types.get('lathe_inference_requests_total'), 'counter');
    for (const k of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      assert.ok((get(k) as number) >= 0, k);
    }
    // The metrics route itself, health checks and metadata are not scoring requests.
    await app.inject({ url: '/v2/health/live' });
    const again = parse((await app.inject({ url: '/metrics' })).body).samples;
    assert.equal(
      [...again.keys()].filter((k) => k.startsWith('lathe_inference_requests_total')).length,
      [...samples.keys()].filter((k) => k.startsWith('lathe_inference_requests_total')).length,
    );
    await app.close();
    metrics.close();
  });

  it('needs the bearer token when the server has one; a refused request is counted under its model', async () => {
    const app = createServer([churn('1')], { token: 'a-token-of-some-length' });
    const noToken = await app.inject({ url: '/metrics' });
    assert.equal(noToken.statusCode, 401);
    await app.inject({ method: 'POST', url: '/v2/models/churn/infer', payload: body([1]) });
    const ok = await app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer a-token-of-some-length' },
    });
    assert.equal(ok.statusCode, 200);
    const { samples } = parse(ok.body);
    assert.equal(
      samples.get('lathe_inference_requests_total{model="churn",version="",route="infer",status="401"}'),
      1,
    );
    assert.equal(samples.get('lathe_prediction_log_ready'), undefined, 'no log, no gauge');
    await app.close();
  });
});

describe('ServerMetrics', () => {
  it('escapes label values, counts reloads by outcome, and writes +Inf for the last bucket', () => {
    const m = new ServerMetrics();
    m.observe('a"b\\c\nd', '1', 'infer', 200, 0.002, 3);
    m.observe('a"b\\c\nd', '1', 'infer', 200, 99, 1);
    m.reloaded('churn', true);
    m.reloaded('churn', false);
    m.reloaded('churn', false);
    const text = m.render([], null);
    m.close();
    assert.match(text, /^lathe_inference_rows_total\{model="a\\"b\\\\c\\nd",version="1"\} 4$/m);
    assert.match(text, /^lathe_inference_duration_seconds_bucket\{model="a\\"b\\\\c\\nd",le="10"\} 1$/m);
    assert.match(text, /^lathe_inference_duration_seconds_bucket\{model="a\\"b\\\\c\\nd",le="\+Inf"\} 2$/m);
    assert.match(text, /^lathe_inference_duration_seconds_bucket\{model="a\\"b\\\\c\\nd",le="0.0025"\} 1$/m);
    const { samples } = parse(text);
    assert.equal(samples.get('lathe_model_reloads_total{model="churn",outcome="ok"}'), 1);
    assert.equal(samples.get('lathe_model_reloads_total{model="churn",outcome="failed"}'), 2);
  });

  it("process_start_time_seconds is the process's start, not the metrics' (made after the models load)", async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, 2000 - performance.now())));
    const m = new ServerMetrics();
    const { samples } = parse(m.render([], null));
    m.close();
    const started = samples.get('process_start_time_seconds')!;
    assert.ok(
      Math.abs(started - performance.timeOrigin / 1000) <= 1,
      `${started} vs ${performance.timeOrigin / 1000}`,
    );
  });
});
