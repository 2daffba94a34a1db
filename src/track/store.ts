/**
 * The `Store` interface: everything the tracking layer persists — experiments, runs (parameters,
 * metric histories, tags, notes, lineage, parent runs), datasets, artifacts and the model
 * registry. Two adapters implement it over the same SQL (see `sql-store.ts`): SQLite (the
 * default, `./.lathe/lathe.db`) and PostgreSQL (`postgres://…`). Open one with {@link openStore}.
 *
 * Times in records are ISO-8601 strings (UTC). Metric values that are NaN come back as NaN (and
 * print as `null` in JSON).
 *
 * @module
 */

import type { Schema } from '../data/schema.ts';
import type { ArtifactStore } from './artifacts.ts';
import type { RunLineage } from './lineage.ts';

/** Where a run stands. `failed` also covers runs whose process died (see the heartbeat rule). */
export type RunStatus = 'running' | 'finished' | 'failed' | 'interrupted';

/** Every {@link RunStatus}, in a stable order. */
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'finished', 'failed', 'interrupted'];

/** A parameter value: any JSON value. */
export type ParamValue = null | boolean | number | string | ParamValue[] | { [key: string]: ParamValue };

/** An experiment: a named group of runs. */
export interface ExperimentRecord {
  id: number;
  name: string;
  createdAt: string;
  /** Number of runs in it. */
  runs: number;
  /** Start time of its newest run. */
  lastRunAt: string | null;
}

/** The fields every run record has. */
export interface RunRecord {
  /** 32 lower-case hex digits; any unique prefix of 4 or more digits also finds the run. */
  id: string;
  experiment: string;
  name: string | null;
  /** The parent run (a tuning study for its trials), if any. */
  parentId: string | null;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  /** Last sign of life from the run's process. */
  heartbeatAt: string;
  /** Wall-clock duration in milliseconds, once ended. */
  durationMs: number | null;
  /** Host name and process id of the process that ran it. */
  host: string;
  pid: number;
  /** Why a run failed or was interrupted, when known. */
  failure: string | null;
  notes: string | null;
}

/** A run as listed: the record plus the latest value of each metric. */
export interface RunSummary extends RunRecord {
  metrics: Record<string, number>;
}

/** The latest value of one metric and how many points it has. */
export interface MetricSummary {
  value: number;
  step: number;
  at: string;
  /** Number of points logged (the history length). */
  count: number;
}

/** One point of a metric's history. */
export interface MetricPoint {
  step: number;
  value: number;
  at: string;
}

/** A metric point to store. */
export interface MetricInput {
  key: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch (default now). */
  at?: number;
}

/** A dataset: identified by its fingerprint (a hash of its content). */
export interface DatasetRecord {
  fingerprint: string;
  name: string | null;
  schema: Schema | null;
  /** A small summary of the data-quality profile (plain JSON). */
  profileSummary: unknown;
  nRows: number | null;
  createdAt: string;
}

/** A dataset as used by a run, with its role ("train", "test", "holdout", …). */
export interface RunDatasetRecord extends DatasetRecord {
  role: string;
}

/** A dataset to record. */
export interface DatasetInput {
  /** The content fingerprint (from `src/data`), e.g. a SHA-256 in hex. */
  fingerprint: string;
  name?: string;
  schema?: Schema;
  profileSummary?: unknown;
  nRows?: number;
  /** How the run used it (default "train"). */
  role?: string;
}

/** An artifact of a run: a name pointing at a content-addressed blob. */
export interface ArtifactRecord {
  name: string;
  sha256: string;
  size: number;
  mediaType: string | null;
  createdAt: string;
}

/** Everything about one run. */
export interface RunDetail extends RunRecord {
  params: Record<string, ParamValue>;
  metrics: Record<string, MetricSummary>;
  tags: Record<string, string>;
  /** Captured at start; `data` lists the fingerprints of the datasets logged to the run. */
  lineage: (RunLineage & { data: { fingerprint: string; role: string }[] }) | null;
  datasets: RunDatasetRecord[];
  artifacts: ArtifactRecord[];
  /** Number of child runs (trials of a tuning study). */
  children: number;
}

/** What {@link Store.createRun} needs. */
export interface NewRunInput {
  experiment: string;
  name?: string | null;
  parentId?: string | null;
  params?: Record<string, ParamValue>;
  tags?: Record<string, string>;
  lineage?: RunLineage | null;
  notes?: string | null;
  host: string;
  pid: number;
}

/** Which runs {@link Store.listRuns} returns (newest first). */
export interface RunFilter {
  experiment?: string;
  status?: RunStatus;
  parentId?: string;
  /** At most this many (default 100). */
  limit?: number;
}

/** One version of a registered model. */
export interface ModelVersionRecord {
  name: string;
  version: number;
  /** The SHA-256 of the package archive in the artifact store. */
  packageSha256: string;
  packageSize: number;
  /** The run that produced it, when known. */
  runId: string | null;
  task: string | null;
  metrics: Record<string, number>;
  /** Where it was registered from (a path, or `run:<id>/<artifact>`). */
  source: string | null;
  description: string | null;
  createdAt: string;
  /** `user@host` of the process that registered it. */
  createdBy: string;
  /** The aliases pointing at this version. */
  aliases: string[];
}

/** A registered model: a name with numbered versions and aliases. */
export interface RegisteredModelRecord {
  name: string;
  latestVersion: number;
  versionCount: number;
  /** alias → version. */
  aliases: Record<string, number>;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A registered model with all its versions (newest first). */
export interface RegisteredModelDetail extends RegisteredModelRecord {
  versions: ModelVersionRecord[];
}

/** What {@link Store.createModelVersion} needs; the version number is allocated by the store. */
export interface NewModelVersionInput {
  name: string;
  packageSha256: string;
  packageSize: number;
  runId?: string | null;
  task?: string | null;
  metrics?: Record<string, number>;
  source?: string | null;
  description?: string | null;
  createdBy: string;
}

/** How an alias moved. */
export type AliasAction = 'set' | 'promote' | 'remove';

/** Who and what moved an alias (recorded in its history). */
export interface AliasChangeInput {
  action: AliasAction;
  /** `user@host`. */
  actor: string;
  /** The program or command that did it, e.g. "lathe models promote churn/3 --to champion". */
  via?: string | null;
  reason?: string | null;
}

/** One entry of an alias's history. */
export interface AliasChangeRecord {
  name: string;
  alias: string;
  /** The version it pointed at before (null: the alias is new). */
  fromVersion: number | null;
  /** The version it points at after (null: removed). */
  toVersion: number | null;
  action: AliasAction;
  actor: string;
  via: string | null;
  reason: string | null;
  at: string;
}

/** The tracking store. Every method is asynchronous (the SQLite adapter wraps synchronous calls). */
export interface Store {
  /** Which adapter this is. */
  readonly kind: 'sqlite' | 'postgres';
  /** The database file, or the URL with the password hidden. */
  readonly location: string;
  /** Where artifact and model-package bytes live. */
  readonly artifacts: ArtifactStore;
  /** Schema migrations this open applied (empty when the store was already up to date). */
  readonly migrationsApplied: readonly number[];
  /** A running run from another host with no heartbeat for this long is marked failed (ms). */
  readonly staleAfterMs: number;
  /** Closes the connection(s). */
  close(): Promise<void>;

  /** The experiment named `name`, created if new. */
  ensureExperiment(name: string): Promise<ExperimentRecord>;
  /** All experiments, by name. */
  listExperiments(): Promise<ExperimentRecord[]>;

  /** Creates a running run (and its experiment, if new). */
  createRun(input: NewRunInput): Promise<RunRecord>;
  /** The full id of the run with this id or unique id prefix; a clear error otherwise. */
  resolveRunId(idOrPrefix: string): Promise<string>;
  /** Everything about one run (by id or unique prefix). Marks dead runs failed first. */
  getRun(idOrPrefix: string): Promise<RunDetail>;
  /** Runs, newest first, with their latest metrics. Marks dead runs failed first. */
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  /** Records parameters. A parameter is set once: logging a different value for it is an error. */
  logParams(runId: string, params: Record<string, ParamValue>): Promise<void>;
  /** Appends metric points. */
  logMetrics(runId: string, points: readonly MetricInput[]): Promise<void>;
  /** A metric's history, by step (then logging order). */
  metricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Sets tags (overwriting same keys). */
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  /** Replaces the run's notes. */
  setNotes(runId: string, notes: string | null): Promise<void>;
  /** Records a sign of life from a running run. */
  heartbeat(runId: string): Promise<void>;
  /** Ends a run with a final status (and why, for failures). */
  endRun(runId: string, status: Exclude<RunStatus, 'running'>, failure?: string | null): Promise<void>;
  /**
   * Marks running runs whose process is gone as failed: on this host, when the process no longer
   * exists; from other hosts, when no heartbeat came for {@link Store.staleAfterMs}. Resolves to
   * the ids marked.
   */
  reapStaleRuns(): Promise<string[]>;
  /** Records a dataset (once per fingerprint) and links it to the run. */
  logDataset(runId: string, input: DatasetInput): Promise<DatasetRecord>;
  /** A dataset by fingerprint, or null. */
  getDataset(fingerprint: string): Promise<DatasetRecord | null>;
  /** Records that the run has an artifact `name` with these bytes (already in {@link Store.artifacts}). */
  recordArtifact(
    runId: string,
    input: { name: string; sha256: string; size: number; mediaType?: string | null },
  ): Promise<ArtifactRecord>;
  /** One artifact record of a run. */
  getArtifact(runId: string, name: string): Promise<ArtifactRecord>;

  /** Registers a new version (numbered 1, 2, … per name, without gaps, under any concurrency). */
  createModelVersion(input: NewModelVersionInput): Promise<ModelVersionRecord>;
  /** All registered models, by name. */
  listModels(): Promise<RegisteredModelRecord[]>;
  /** One registered model with its versions. */
  getModel(name: string): Promise<RegisteredModelDetail>;
  /** One version. */
  getModelVersion(name: string, version: number): Promise<ModelVersionRecord>;
  /** The version an alias points at. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersionRecord>;
  /** Points `alias` at `version`, recording who/what moved it. */
  setAlias(
    name: string,
    alias: string,
    version: number,
    change: AliasChangeInput,
  ): Promise<AliasChangeRecord>;
  /** Removes an alias, recording who/what removed it. */
  removeAlias(name: string, alias: string, change: AliasChangeInput): Promise<AliasChangeRecord>;
  /** The history of a model's aliases (oldest first), optionally of one alias. */
  aliasHistory(name: string, alias?: string): Promise<AliasChangeRecord[]>;
}
