/**
 * The tracking library API: `startRun` → a {@link TrackedRun} to log parameters, metrics, tags,
 * notes, datasets, artifacts and model packages to; `withRun` wraps a function and ends the run
 * as finished or failed.
 *
 * ```ts
 * const run = await startRun({ experiment: 'churn', params: { maxDepth: 6 }, seed: 42 });
 * await run.logMetric('auc', 0.91);
 * await run.logArtifact('report.html', 'out/report.html');
 * await run.end(); // 'finished'
 * ```
 *
 * While a run is open its process sends a heartbeat every `heartbeatMs` (an unref'd timer, so it
 * never keeps the process alive); SIGINT and SIGTERM end the open runs as `interrupted` before the
 * process exits. A process that dies without ending its run (a crash, `SIGKILL`) leaves it
 * `running` until a reader marks it `failed` — see {@link Store.reapStaleRuns} for the rule.
 *
 * @module
 */

import { hostname } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../core/errors.ts';
import { captureLineage, type RunLineage } from './lineage.ts';
import { checkArtifactName, checkTrackingKey } from './names.ts';
import { openStore } from './open.ts';
import { modelArchiveFor } from './registry.ts';
import type {
  ArtifactRecord,
  DatasetInput,
  DatasetRecord,
  MetricInput,
  ParamValue,
  RunRecord,
  RunStatus,
  Store,
} from './store.ts';

/** Media type recorded for model packages logged with {@link TrackedRun.logModelPackage}. */
export const MODEL_PACKAGE_MEDIA_TYPE = 'application/vnd.lathe.model-package+tar';

/** Metric points per background write (one statement each). */
const METRIC_BATCH = 200;

/** Queued metric points past which `logMetric` waits for the queue to drain. */
export const MAX_QUEUED_METRICS = 10_000;

/** Default heartbeat interval: 30 seconds. */
export const DEFAULT_HEARTBEAT_MS = 30_000;

/** Options for {@link startRun}. */
export interface StartRunOptions {
  /** A store, or a store URL (default: `LATHE_STORE`, else `./.lathe/lathe.db`). */
  store?: Store | string | null;
  /** Experiment name (default "default"); created on first use. */
  experiment?: string;
  /** A human-friendly run name. */
  name?: string | null;
  params?: Record<string, ParamValue>;
  tags?: Record<string, string>;
  /** The parent run (for tuning trials): a run handle or a run id. */
  parent?: TrackedRun | string | null;
  /** The seed, recorded in the lineage. */
  seed?: number | null;
  notes?: string | null;
  /** Lineage fields to override, or `false` to record none. */
  lineage?: Partial<RunLineage> | false;
  /** Heartbeat interval in ms (default 30000). */
  heartbeatMs?: number;
  /** End the run as `interrupted` on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** A bytes payload, a path to a file, or text. */
export type ArtifactSource = Uint8Array | string | { path: string } | { text: string };

/** An open run. Every method writes through to the store. */
export class TrackedRun {
  /** The run's id (32 hex digits). */
  readonly id: string;
  /** The experiment it belongs to. */
  readonly experiment: string;
  /** The store it writes to. */
  readonly store: Store;
  private readonly steps = new Map<string, number>();
  private readonly ownsStore: boolean;
  private readonly handleSignals: boolean;
  private timer: NodeJS.Timeout | undefined;
  private beat: Promise<void> | undefined;
  private endedAs: Exclude<RunStatus, 'running'> | undefined;
  private readonly queue: MetricInput[] = [];
  private draining: Promise<void> | undefined;
  private failedWrite: { error: unknown } | undefined;

  /** Use {@link startRun}. */
  constructor(
    store: Store,
    record: RunRecord,
    opts: { ownsStore: boolean; heartbeatMs: number; handleSignals: boolean },
  ) {
    this.store = store;
    this.id = record.id;
    this.experiment = record.experiment;
    this.ownsStore = opts.ownsStore;
    this.handleSignals = opts.handleSignals;
    this.timer = setInterval(() => {
      if (this.beat) return; // the previous beat is still in flight
      this.beat = store
        .heartbeat(this.id)
        .catch(() => {})
        .finally(() => {
          this.beat = undefined;
        });
    }, opts.heartbeatMs);
    this.timer.unref();
    if (this.handleSignals) trackOpen(this);
  }

  /** True once {@link TrackedRun.end} has been called. */
  get ended(): boolean {
    return this.endedAs !== undefined;
  }

  /** Records parameters (each is set once per run; a different value later is an error). */
  async logParams(params: Record<string, ParamValue>): Promise<void> {
    await this.store.logParams(this.id, params);
  }

  /** Records one parameter. */
  logParam(key: string, value: ParamValue): Promise<void> {
    return this.logParams({ [key]: value });
  }

  /**
   * Appends a metric point. Without `step`, steps count 0, 1, 2, … per key in this handle; with
   * one, later implicit steps continue after it.
   *
   * The point is checked at once (a bad key, value or step throws here) and then written in the
   * background together with the points logged meanwhile — one statement per batch, so a training
   * loop that logs every iteration costs a few writes, not one per point. The promise resolves
   * when the point is queued (or, past {@link MAX_QUEUED_METRICS} queued points, when the queue
   * has drained). {@link TrackedRun.flush} waits until everything logged is stored, and
   * {@link TrackedRun.end} flushes first; a failed background write is thrown by the next
   * `logMetric`, `logMetrics`, `flush` or `end`.
   */
  async logMetric(key: string, value: number, step?: number): Promise<void> {
    return this.enqueue([this.point(key, value, step)]);
  }

  /** Appends several metrics at once, all at `step` (or each key's next step); queued like {@link TrackedRun.logMetric}. */
  async logMetrics(values: Record<string, number>, step?: number): Promise<void> {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new ValidationError('logMetrics takes an object of metric name → number.', { field: 'metrics' });
    }
    return this.enqueue(Object.entries(values).map(([key, value]) => this.point(key, value, step)));
  }

  /** Waits until every metric point logged so far is stored; throws if a background write failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    this.throwFailedWrite();
  }

  /** Sets tags (same keys are overwritten). */
  async setTags(tags: Record<string, string>): Promise<void> {
    await this.store.setTags(this.id, tags);
  }

  /** Sets one tag. */
  setTag(key: string, value: string): Promise<void> {
    return this.setTags({ [key]: value });
  }

  /** Replaces the run's notes (free text). */
  async setNotes(notes: string | null): Promise<void> {
    await this.store.setNotes(this.id, notes);
  }

  /**
   * Stores an artifact under `name` (a safe relative name such as `plots/roc.svg`): bytes, a path
   * to a file (as a string or `{ path }`), or `{ text }`. The bytes go to the content-addressed
   * artifact store first (temp file, then rename); the record is written only once they are in
   * place, so a crash never leaves a record pointing at a partial file.
   */
  async logArtifact(
    name: string,
    source: ArtifactSource,
    options: { mediaType?: string } = {},
  ): Promise<ArtifactRecord> {
    checkArtifactName(name);
    const blob =
      source instanceof Uint8Array
        ? await this.store.artifacts.putBytes(source)
        : typeof source === 'string'
          ? await this.store.artifacts.putFile(source)
          : typeof source === 'object' &&
              source !== null &&
              'path' in source &&
              typeof source.path === 'string'
            ? await this.store.artifacts.putFile(source.path)
            : typeof source === 'object' &&
                source !== null &&
                'text' in source &&
                typeof source.text === 'string'
              ? await this.store.artifacts.putBytes(Buffer.from(source.text, 'utf8'))
              : badSource(source);
    return this.store.recordArtifact(this.id, { name, ...blob, mediaType: options.mediaType ?? null });
  }

  /** Records a dataset the run used (fingerprint, schema, profile summary, role). */
  logDataset(input: DatasetInput): Promise<DatasetRecord> {
    return this.store.logDataset(this.id, input);
  }

  /**
   * Logs a model package — a directory or `.lathe` archive, or a registry reference (`churn/3`,
   * `churn@champion`) in this run's store — checked first and stored in its archive form, as
   * artifact `name` (default "model"). Register it later with
   * `registerModel(store, name, { run: run.id, artifact: 'model' })`.
   */
  async logModelPackage(ref: string, name = 'model'): Promise<ArtifactRecord> {
    checkArtifactName(name);
    const { bytes } = await modelArchiveFor(ref, this.store);
    const blob = await this.store.artifacts.putBytes(bytes);
    return this.store.recordArtifact(this.id, { name, ...blob, mediaType: MODEL_PACKAGE_MEDIA_TYPE });
  }

  /**
   * Ends the run (default `finished`; `failed` and `interrupted` take an optional reason) and
   * stops the heartbeat. Closes the store if {@link startRun} opened it. Calling it again does
   * nothing.
   */
  async end(status: Exclude<RunStatus, 'running'> = 'finished', reason?: string | null): Promise<void> {
    if (this.endedAs !== undefined) return;
    if (!['finished', 'failed', 'interrupted'].includes(status)) {
      throw new ValidationError(`A run ends as finished, failed or interrupted; got '${status}'.`, {
        field: 'status',
      });
    }
    this.endedAs = status;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.handleSignals) trackClosed(this);
    let unflushed: unknown;
    try {
      await this.flush().catch((e) => {
        unflushed = e;
      });
      await this.beat;
      await this.store.endRun(this.id, status, reason ?? null);
    } finally {
      if (this.ownsStore) await this.store.close();
    }
    if (unflushed !== undefined) throw unflushed;
  }

  /** A checked metric point with its step and time. */
  private point(key: string, value: number, step: number | undefined): MetricInput {
    checkTrackingKey(key, 'metric key');
    if (typeof value !== 'number') {
      throw new ValidationError(`Metric '${key}' must be a number; got ${typeof value}.`, { field: key });
    }
    return { key, value, step: this.nextStep(key, step), at: Date.now() };
  }

  /** Queues points and makes sure a drain is running; applies back-pressure past the limit. */
  private enqueue(points: MetricInput[]): Promise<void> {
    this.throwFailedWrite();
    if (this.endedAs !== undefined && !this.draining) {
      // Logged after end(): write it directly, without a background drain left behind.
      return this.store.logMetrics(this.id, points);
    }
    for (const p of points) this.queue.push(p);
    this.draining ??= this.drain();
    return this.queue.length > MAX_QUEUED_METRICS ? this.flush() : Promise.resolve();
  }

  /** Writes the queue in batches until it is empty; the first batch waits one turn to gather points. */
  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, METRIC_BATCH);
        try {
          await this.store.logMetrics(this.id, batch);
        } catch (e) {
          this.failedWrite ??= { error: e };
          this.queue.length = 0;
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private throwFailedWrite(): void {
    const failed = this.failedWrite;
    if (failed) {
      this.failedWrite = undefined;
      throw failed.error;
    }
  }

  private nextStep(key: string, step: number | undefined): number {
    const s = step ?? this.steps.get(key) ?? 0;
    if (!Number.isSafeInteger(s) || s < 0) {
      throw new ValidationError(`Metric '${key}': step must be an integer ≥ 0; got ${step}.`, {
        field: 'step',
      });
    }
    this.steps.set(key, s + 1);
    return s;
  }
}

function badSource(source: unknown): never {
  throw new ValidationError(`logArtifact: unsupported source ${typeof source}.`, {
    field: 'source',
    fix: 'pass a Uint8Array/Buffer, a file path, { path }, or { text }',
  });
}

/** Starts a run and returns its handle. Remember to `end()` it (or use {@link withRun}). */
export async function startRun(options: StartRunOptions = {}): Promise<TrackedRun> {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs < 10) {
    throw new ValidationError(`heartbeatMs must be a number ≥ 10; got ${heartbeatMs}.`, {
      field: 'heartbeatMs',
    });
  }
  if (options.seed != null && !Number.isSafeInteger(options.seed)) {
    throw new ValidationError(`seed must be an integer; got ${options.seed}.`, { field: 'seed' });
  }
  const ownsStore = options.store == null || typeof options.store === 'string';
  const store = ownsStore
    ? await openStore(options.store as string | null | undefined)
    : (options.store as Store);
  try {
    const lineage =
      options.lineage === false
        ? null
        : { ...captureLineage({ seed: options.seed ?? null }), ...(options.lineage ?? {}) };
    const parentId =
      options.parent == null
        ? null
        : options.parent instanceof TrackedRun
          ? options.parent.id
          : await store.resolveRunId(options.parent);
    const record = await store.createRun({
      experiment: options.experiment ?? 'default',
      name: options.name ?? null,
      parentId,
      params: options.params,
      tags: options.tags,
      lineage,
      notes: options.notes ?? null,
      host: hostname(),
      pid: process.pid,
    });
    return new TrackedRun(store, record, {
      ownsStore,
      heartbeatMs,
      handleSignals: options.handleSignals ?? true,
    });
  } catch (e) {
    if (ownsStore) await store.close().catch(() => {});
    throw e;
  }
}

/**
 * Runs `fn` inside a run: ends it `finished` when `fn` resolves, `failed` (with the error's
 * message) when it throws, and rethrows. Resolves to what `fn` returned.
 */
export async function withRun<T>(
  options: StartRunOptions,
  fn: (run: TrackedRun) => Promise<T> | T,
): Promise<T> {
  const run = await startRun(options);
  try {
    const result = await fn(run);
    await run.end('finished');
    return result;
  } catch (e) {
    await run.end('failed', e instanceof Error ? e.message : String(e)).catch(() => {});
    throw e;
  }
}

/**
 * Writes artifact `name` of run `runId` to `destDir/name` (verifying its checksum on the way).
 * The name is checked again and the final path must stay inside `destDir`. Resolves to the path.
 */
export async function saveArtifact(
  store: Store,
  runId: string,
  name: string,
  destDir: string,
): Promise<string> {
  checkArtifactName(name);
  const record = await store.getArtifact(runId, name);
  const root = resolve(destDir);
  const dest = resolve(root, ...name.split('/'));
  const rel = relative(root, dest);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new ValidationError(`Artifact name ${JSON.stringify(name)} would leave ${root}.`, {
      field: 'artifact name',
    });
  }
  await store.artifacts.copyTo(record.sha256, dest);
  return dest;
}

// --- signals --------------------------------------------------------------------------------

const open = new Set<TrackedRun>();
let installed = false;

function trackOpen(run: TrackedRun): void {
  open.add(run);
  if (!installed) {
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    installed = true;
  }
}

function trackClosed(run: TrackedRun): void {
  open.delete(run);
  if (open.size === 0 && installed) {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    installed = false;
  }
}

function onSigint(): void {
  void interruptAll('SIGINT');
}

function onSigterm(): void {
  void interruptAll('SIGTERM');
}

/** Ends every open run as interrupted, then lets the signal do what it would have done. */
async function interruptAll(signal: NodeJS.Signals): Promise<void> {
  const runs = [...open];
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  installed = false;
  await Promise.allSettled(runs.map((r) => r.end('interrupted', `received ${signal}`)));
  // With no other listener, re-raising the signal terminates the process the default way.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
