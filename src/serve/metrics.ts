/**
 * What a model server has done, in Prometheus's text exposition format (`GET /metrics`): scoring
 * requests by model, version, route and status, their latency as a histogram, rows scored, the
 * model versions served and their reloads, whether the prediction log can be written, and the
 * process's memory, CPU and event-loop delay (scoring runs on the event loop: a long request
 * delays the others, and this is where it shows).
 *
 * Names follow Prometheus's conventions (`_total` counters, `_seconds`, `_bytes`) and the
 * `process_*` / `nodejs_*` names of prom-client, so existing dashboards read them.
 *
 * @module
 */

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ServedModel } from './served-model.ts';

/** Upper bounds (seconds) of the latency histogram's buckets. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** How often (ms) the event loop's delay is sampled. */
const LOOP_SAMPLE_MS = 10;

/** A scoring route: `/v2/models/<name>/infer` (with or without a version) or `/invocations`. */
export type ScoringRoute = 'infer' | 'invocations';

interface Histogram {
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A label value escaped as the text format requires (backslash, double quote, line feed). */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="x",b="y"}` of the labels given. */
function labels(pairs: Record<string, string>): string {
  const inner = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return inner ? `{${inner}}` : '';
}

/** A number as the text format writes it (`+Inf`, `NaN`). */
function num(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(x);
}

/**
 * The counters of one server. {@link ServerMetrics.observe} is called once per response of a
 * scoring route, {@link ServerMetrics.reloaded} per reload attempt; {@link ServerMetrics.render}
 * writes them all.
 */
export class ServerMetrics {
  /** `model\u0000version\u0000route\u0000status` → requests. */
  readonly #requests = new Map<string, number>();
  /** `model\u0000version` → rows scored (answered requests only). */
  readonly #rows = new Map<string, number>();
  /** model → latency histogram. */
  readonly #latency = new Map<string, Histogram>();
  /** `model\u0000outcome` → reload attempts. */
  readonly #reloads = new Map<string, number>();
  readonly #loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  /** When the process started (not this object: it is made once the models are loaded). */
  readonly #started = performance.timeOrigin / 1000;

  constructor() {
    this.#loopDelay.enable();
  }

  /**
   * Counts one response of a scoring route: `model` is the served name ("" when the request named
   * none that is served), `version` the version that answered ("" when none did), `rows` the rows
   * scored (0 unless answered).
   */
  observe(
    model: string,
    version: string,
    route: ScoringRoute,
    status: number,
    seconds: number,
    rows: number,
  ): void {
    const key = `${model}\u0000${version}\u0000${route}\u0000${status}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    if (rows > 0) {
      const rk = `${model}\u0000${version}`;
      this.#rows.set(rk, (this.#rows.get(rk) ?? 0) + rows);
    }
    let h = this.#latency.get(model);
    if (!h) {
      h = { counts: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 };
      this.#latency.set(model, h);
    }
    for (let b = 0; b < LATENCY_BUCKETS.length; b++) if (seconds <= LATENCY_BUCKETS[b]) h.counts[b]++;
    h.sum += seconds;
    h.count++;
  }

  /** Counts one reload attempt of `model`: `ok` when it now serves another version, else failed. */
  reloaded(model: string, ok: boolean): void {
    const key = `${model}\u0000${ok ? 'ok' : 'failed'}`;
    this.#reloads.set(key, (this.#reloads.get(key) ?? 0) + 1);
  }

  /** Stops sampling the event loop. */
  close(): void {
    this.#loopDelay.disable();
  }

  /**
   * Every metric in the text exposition format (version 0.0.4). `logReady` is whether the
   * prediction log can be written (null: no log). The event-loop delay quantiles are of the time
   * since the previous call (as prom-client's), then the sampling starts over.
   */
  render(models: readonly ServedModel[], logReady: boolean | null): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family(
      'lathe_model_info',
      'gauge',
      'The models served: 1 per served name, labelled with the version it answers with.',
    );
    for (const m of models)
      out.push(`lathe_model_info${labels({ model: m.name, version: m.version, task: m.task })} 1`);

    family(
      'lathe_inference_requests_total',
      'counter',
      'Scoring requests by model, version that answered, route and HTTP status.',
    );
    for (const [key, n] of this.#requests) {
      const [model, version, route, status] = key.split('\u0000');
      out.push(`lathe_inference_requests_total${labels({ model, version, route, status })} ${n}`);
    }

    family(
      'lathe_inference_rows_total',
      'counter',
      'Rows scored in answered requests, by model and version.',
    );
    for (const [key, n] of this.#rows) {
      const [model, version] = key.split('\u0000');
      out.push(`lathe_inference_rows_total${labels({ model, version })} ${n}`);
    }

    family(
      'lathe_inference_duration_seconds',
      'histogram',
      "Time from a scoring request's arrival to its response, by model.",
    );
    for (const [model, h] of this.#latency) {
      for (let b = 0; b < LATENCY_BUCKETS.length; b++) {
        out.push(
          `lathe_inference_duration_seconds_bucket${labels({ model, le: num(LATENCY_BUCKETS[b]) })} ${h.counts[b]}`,
        );
      }
      out.push(`lathe_inference_duration_seconds_bucket${labels({ model, le: '+Inf' })} ${h.count}`);
      out.push(`lathe_inference_duration_seconds_sum${labels({ model })} ${num(h.sum)}`);
      out.push(`lathe_inference_duration_seconds_count${labels({ model })} ${h.count}`);
    }

    family(
      'lathe_model_reloads_total',
      'counter',
      'Reloads of a served model: ok (another version now answers) or failed (the old one still does).',
    );
    for (const [key, n] of this.#reloads) {
      const [model, outcome] = key.split('\u0000');
      out.push(`lathe_model_reloads_total${labels({ model, outcome })} ${n}`);
    }

    if (logReady !== null) {
      family(
        'lathe_prediction_log_ready',
        'gauge',
        '1 while the prediction log can be written; 0 once a write failed (scoring then answers 503).',
      );
      out.push(`lathe_prediction_log_ready ${logReady ? 1 : 0}`);
    }

    const usage = process.cpuUsage();
    const mem = process.memoryUsage();
    family('process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.');
    out.push(`process_cpu_user_seconds_total ${usage.user / 1e6}`);
    family('process_cpu_system_seconds_total', 'counter', 'System CPU time spent in seconds.');
    out.push(`process_cpu_system_seconds_total ${usage.system / 1e6}`);
    family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.');
    out.push(`process_cpu_seconds_total ${(usage.user + usage.system) / 1e6}`);
    family('process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.');
    out.push(`process_start_time_seconds ${Math.round(this.#started)}`);
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    family('nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.');
    out.push(`nodejs_heap_size_used_bytes ${mem.heapUsed}`);
    family('nodejs_heap_size_total_bytes', 'gauge', 'Process heap size from Node.js in bytes.');
    out.push(`nodejs_heap_size_total_bytes ${mem.heapTotal}`);

    // The sampler records the time between its timer's runs, which is the sampling interval plus
    // the delay: the interval is taken off, so an idle loop shows 0.
    const d = this.#loopDelay;
    const seconds = (ns: number) =>
      d.count === 0 || !Number.isFinite(ns) ? 0 : Math.max(0, ns / 1e9 - LOOP_SAMPLE_MS / 1000);
    for (const [suffix, value, help] of [
      ['p50', d.percentile(50), 'The 50th percentile of the event loop delay'],
      ['p99', d.percentile(99), 'The 99th percentile of the event loop delay'],
      ['max', d.max, 'The maximum event loop delay'],
    ] as const) {
      family(`nodejs_eventloop_lag_${suffix}_seconds`, 'gauge', `${help} since the previous scrape.`);
      out.push(`nodejs_eventloop_lag_${suffix}_seconds ${seconds(value)}`);
    }
    d.reset();
    return `${out.join('\n')}\n`;
  }
}
