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

/** Counts by the values of a fixed list of labels (the values joined by NUL as the key). */
class LabelledCounts {
  readonly #labels: readonly string[];
  readonly #counts = new Map<string, number>();

  constructor(labelNames: readonly string[]) {
    this.#labels = labelNames;
  }

  /** Adds `by` to the count of these label values (in the order of the label names). */
  add(values: readonly string[], by = 1): void {
    const key = values.join('\u0000');
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }

  /** One sample line per set of values: `name{label="value",…} count`. */
  samples(name: string): string[] {
    return [...this.#counts].map(([key, n]) => {
      const values = key.split('\u0000');
      return `${name}${labels(Object.fromEntries(this.#labels.map((l, i) => [l, values[i]])))} ${n}`;
    });
  }
}

/**
 * The counters of one server. {@link ServerMetrics.observe} is called once per response of a
 * scoring route, {@link ServerMetrics.reloaded} per reload attempt; {@link ServerMetrics.render}
 * writes them all.
 */
export class ServerMetrics {
  readonly #requests = new LabelledCounts(['model', 'version', 'route', 'status']);
  /** Rows scored, answered requests only. */
  readonly #rows = new LabelledCounts(['model', 'version']);
  /** model → latency histogram. */
  readonly #latency = new Map<string, Histogram>();
  readonly #reloads = new LabelledCounts(['model', 'outcome']);
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
    this.#requests.add([model, version, route, String(status)]);
    if (rows > 0) this.#rows.add([model, version], rows);
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
    this.#reloads.add([model, ok ? 'ok' : 'failed']);
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
    /** A family of one unlabelled sample. */
    const single = (name: string, type: string, help: string, value: number) => {
      family(name, type, help);
      out.push(`${name} ${value}`);
    };

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
    out.push(...this.#requests.samples('lathe_inference_requests_total'));

    family(
      'lathe_inference_rows_total',
      'counter',
      'Rows scored in answered requests, by model and version.',
    );
    out.push(...this.#rows.samples('lathe_inference_rows_total'));

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
    out.push(...this.#reloads.samples('lathe_model_reloads_total'));

    if (logReady !== null) {
      single(
        'lathe_prediction_log_ready',
        'gauge',
        '1 while the prediction log can be written; 0 once a write failed (scoring then answers 503).',
        logReady ? 1 : 0,
      );
    }

    const usage = process.cpuUsage();
    const mem = process.memoryUsage();
    single('process_cpu_user_seconds_total', 'counter', 'User CPU time spent in seconds.', usage.user / 1e6);
    single(
      'process_cpu_system_seconds_total',
      'counter',
      'System CPU time spent in seconds.',
      usage.system / 1e6,
    );
    single(
      'process_cpu_seconds_total',
      'counter',
      'Total user and system CPU time spent in seconds.',
      (usage.user + usage.system) / 1e6,
    );
    single(
      'process_start_time_seconds',
      'gauge',
      'Start time of the process since unix epoch in seconds.',
      Math.round(this.#started),
    );
    single('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss);
    single(
      'nodejs_heap_size_used_bytes',
      'gauge',
      'Process heap size used from Node.js in bytes.',
      mem.heapUsed,
    );
    single(
      'nodejs_heap_size_total_bytes',
      'gauge',
      'Process heap size from Node.js in bytes.',
      mem.heapTotal,
    );

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
      single(
        `nodejs_eventloop_lag_${suffix}_seconds`,
        'gauge',
        `${help} since the previous scrape.`,
        seconds(value),
      );
    }
    d.reset();
    return `${out.join('\n')}\n`;
  }
}
