/**
 * The {@link Store} written once in portable SQL, over a {@link SqlDriver}: the SQLite and the
 * PostgreSQL adapters are this class with different drivers, so both pass one test suite.
 *
 * Concurrency: every multi-statement change runs in one transaction; version numbers come from a
 * single atomic upsert on the model's row (`last_version = last_version + 1 … RETURNING`), which
 * both databases serialise, so concurrent registrations get 1, 2, 3, … without gaps or duplicates.
 *
 * @module
 */

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataError, ValidationError } from '../core/errors.ts';
import type { Schema } from '../data/schema.ts';
import { type ArtifactStore, isSha256, processAlive } from './artifacts.ts';
import type { RunLineage } from './lineage.ts';
import {
  checkAliasName,
  checkArtifactName,
  checkExperimentName,
  checkModelName,
  checkStoreText,
  checkTrackingKey,
  storableText,
} from './names.ts';
import type { Row, SqlDriver, SqlExecutor } from './sql/driver.ts';
import {
  type AliasChangeInput,
  type AliasChangeRecord,
  type ArtifactRecord,
  type DatasetInput,
  type DatasetRecord,
  type ExperimentRecord,
  type MetricInput,
  type MetricPoint,
  type MetricSummary,
  type ModelVersionRecord,
  type NewModelVersionInput,
  type NewRunInput,
  type ParamValue,
  type RegisteredModelDetail,
  type RegisteredModelRecord,
  RUN_STATUSES,
  type RunDatasetRecord,
  type RunDetail,
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type Store,
} from './store.ts';

/** Largest JSON text of one parameter value. */
const MAX_PARAM_JSON = 65_536;
/** Rows per multi-row INSERT of metrics. */
const METRIC_CHUNK = 200;

const RUN_COLUMNS = `r.id, e.name AS experiment, r.name, r.parent_id, r.status, r.started_at, r.ended_at,
  r.heartbeat_at, r.host, r.pid, r.failure, r.notes`;

/** A {@link Store} over SQLite or PostgreSQL. Open one with {@link openStore}. */
export class SqlStore implements Store {
  readonly kind: 'sqlite' | 'postgres';

  constructor(
    private readonly db: SqlDriver,
    readonly location: string,
    readonly artifacts: ArtifactStore,
    readonly migrationsApplied: readonly number[],
    readonly staleAfterMs: number,
  ) {
    this.kind = db.dialect;
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // --- experiments ---------------------------------------------------------------------------

  async ensureExperiment(name: string): Promise<ExperimentRecord> {
    checkExperimentName(name);
    await this.db.run(
      'INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
      [name, Date.now()],
    );
    const rows = await this.db.all(
      `${EXPERIMENT_SELECT} WHERE e.name = ? GROUP BY e.id, e.name, e.created_at`,
      [name],
    );
    return experimentFrom(rows[0]);
  }

  async listExperiments(): Promise<ExperimentRecord[]> {
    const rows = await this.db.all(
      `${EXPERIMENT_SELECT} GROUP BY e.id, e.name, e.created_at ORDER BY e.name`,
    );
    return rows.map(experimentFrom);
  }

  // --- runs ----------------------------------------------------------------------------------

  async createRun(input: NewRunInput): Promise<RunRecord> {
    checkExperimentName(input.experiment);
    checkStoreText(input.name, 'Run name', 250);
    checkStoreText(input.notes, 'Notes', Number.POSITIVE_INFINITY);
    const params = paramRows(input.params ?? {});
    const tags = tagRows(input.tags ?? {});
    const id = randomUUID().replaceAll('-', '');
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [
        input.experiment,
        now,
      ]);
      const [exp] = await tx.all<{ id: number }>('SELECT id FROM experiments WHERE name = ?', [
        input.experiment,
      ]);
      if (input.parentId != null) {
        const parent = await tx.all('SELECT id FROM runs WHERE id = ?', [input.parentId]);
        if (parent.length === 0) {
          throw new ValidationError(`Parent run ${input.parentId} does not exist in this store.`, {
            field: 'parent',
            fix: "pass the id of an existing run (see 'lathe runs list')",
          });
        }
      }
      await tx.run(
        `INSERT INTO runs (id, experiment_id, name, parent_id, status, started_at, heartbeat_at, host, pid, notes, lineage)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        [
          id,
          exp.id,
          input.name ?? null,
          input.parentId ?? null,
          now,
          now,
          input.host,
          input.pid,
          input.notes ?? null,
          input.lineage ? JSON.stringify(input.lineage) : null,
        ],
      );
      for (const [key, value] of params) {
        await tx.run('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)', [id, key, value]);
      }
      for (const [key, value] of tags) {
        await tx.run('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)', [id, key, value]);
      }
    });
    return this.runRecord(id);
  }

  async resolveRunId(idOrPrefix: string): Promise<string> {
    if (typeof idOrPrefix !== 'string' || !/^[0-9a-f]{4,32}$/.test(idOrPrefix)) {
      throw new ValidationError(`${JSON.stringify(idOrPrefix)} is not a run id.`, {
        field: 'run id',
        fix: "pass a run id (32 hex digits) or a unique prefix of at least 4, as printed by 'lathe runs list'",
      });
    }
    if (idOrPrefix.length === 32) {
      const rows = await this.db.all('SELECT id FROM runs WHERE id = ?', [idOrPrefix]);
      if (rows.length) return idOrPrefix;
    } else {
      const rows = await this.db.all<{ id: string }>(
        'SELECT id FROM runs WHERE id LIKE ? ORDER BY id LIMIT 6',
        [`${idOrPrefix}%`],
      );
      if (rows.length === 1) return rows[0].id;
      if (rows.length > 1) {
        throw new ValidationError(
          `Run id prefix '${idOrPrefix}' is ambiguous: it matches ${rows
            .slice(0, 5)
            .map((r) => r.id)
            .join(', ')}${rows.length > 5 ? ', …' : ''}.`,
          { field: 'run id', fix: 'type more digits of the id' },
        );
      }
    }
    throw new ValidationError(`No run '${idOrPrefix}' in the tracking store ${this.location}.`, {
      field: 'run id',
      fix: "list the runs with 'lathe runs list' (and check --store / LATHE_STORE)",
    });
  }

  async getRun(idOrPrefix: string): Promise<RunDetail> {
    await this.reapStaleRuns();
    const id = await this.resolveRunId(idOrPrefix);
    const record = await this.runRecord(id);
    const [paramRows_, metricRows, tagRows_, datasetRows, artifactRows, childRows, lineageRows] =
      await Promise.all([
        this.db.all<{ key: string; value: string }>(
          'SELECT key, value FROM params WHERE run_id = ? ORDER BY key',
          [id],
        ),
        this.latestMetrics([id]),
        this.db.all<{ key: string; value: string }>(
          'SELECT key, value FROM run_tags WHERE run_id = ? ORDER BY key',
          [id],
        ),
        this.db.all(
          `SELECT d.fingerprint, d.name, d.schema_json, d.profile_json, d.n_rows, d.created_at, rd.role
         FROM run_datasets rd JOIN datasets d ON d.fingerprint = rd.fingerprint
         WHERE rd.run_id = ? ORDER BY rd.role, d.fingerprint`,
          [id],
        ),
        this.db.all(
          'SELECT name, sha256, size, media_type, created_at FROM artifacts WHERE run_id = ? ORDER BY name',
          [id],
        ),
        this.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM runs WHERE parent_id = ?', [id]),
        this.db.all<{ lineage: string | null }>('SELECT lineage FROM runs WHERE id = ?', [id]),
      ]);
    const params: Record<string, ParamValue> = {};
    for (const r of paramRows_)
      setOwn(params, r.key, parseJson(r.value, `parameter '${r.key}' of run ${id}`) as ParamValue);
    const metrics: Record<string, MetricSummary> = {};
    for (const r of metricRows) {
      setOwn(metrics, r.key, {
        value: numberOrNaN(r.value),
        step: Number(r.step),
        at: iso(r.logged_at),
        count: Number(r.n),
      });
    }
    const tags: Record<string, string> = {};
    for (const r of tagRows_) setOwn(tags, r.key, r.value);
    const datasets: RunDatasetRecord[] = datasetRows.map((r) => ({
      ...datasetFrom(r),
      role: String(r.role),
    }));
    const lineageText = lineageRows[0]?.lineage;
    const lineage = lineageText
      ? {
          ...(parseJson(lineageText, `lineage of run ${id}`) as RunLineage),
          data: datasets.map((d) => ({ fingerprint: d.fingerprint, role: d.role })),
        }
      : null;
    return {
      ...record,
      params,
      metrics,
      tags,
      lineage,
      datasets,
      artifacts: artifactRows.map(artifactFrom),
      children: Number(childRows[0]?.n ?? 0),
    };
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    await this.reapStaleRuns();
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.experiment !== undefined) {
      where.push('e.name = ?');
      args.push(filter.experiment);
    }
    if (filter.status !== undefined) {
      if (!RUN_STATUSES.includes(filter.status)) {
        throw new ValidationError(`Unknown run status '${filter.status}'.`, {
          field: 'status',
          fix: `use one of ${RUN_STATUSES.join(', ')}`,
        });
      }
      where.push('r.status = ?');
      args.push(filter.status);
    }
    if (filter.parentId !== undefined) {
      where.push('r.parent_id = ?');
      args.push(await this.resolveRunId(filter.parentId));
    }
    const limit = filter.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError(`limit must be a positive integer; got ${limit}.`, { field: 'limit' });
    }
    const rows = await this.db.all(
      `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY r.started_at DESC, r.id LIMIT ?`,
      [...args, limit],
    );
    const runs: RunSummary[] = rows.map((r) => ({ ...runFrom(r), metrics: {} }));
    const byId = new Map(runs.map((r) => [r.id, r]));
    for (let i = 0; i < runs.length; i += 500) {
      const ids = runs.slice(i, i + 500).map((r) => r.id);
      for (const m of await this.latestMetrics(ids))
        setOwn(byId.get(m.run_id)!.metrics, m.key, numberOrNaN(m.value));
    }
    return runs;
  }

  async logParams(runId: string, params: Record<string, ParamValue>): Promise<void> {
    const rows = paramRows(params);
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      await mustExist(tx, runId);
      for (const [key, value] of rows) {
        await tx.run(
          'INSERT INTO params (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO NOTHING',
          [runId, key, value],
        );
        const [have] = await tx.all<{ value: string }>(
          'SELECT value FROM params WHERE run_id = ? AND key = ?',
          [runId, key],
        );
        if (have.value !== value) {
          throw new ValidationError(
            `Parameter '${key}' of run ${runId} is already ${have.value}; it cannot become ${value}.`,
            {
              field: key,
              fix: 'parameters are set once per run; log a new run for a new value, or use a metric or tag for values that change',
            },
          );
        }
      }
    });
  }

  async logMetrics(runId: string, points: readonly MetricInput[]): Promise<void> {
    if (points.length === 0) return;
    const now = Date.now();
    const values: unknown[] = [];
    for (const p of points) {
      checkTrackingKey(p.key, 'metric key');
      if (typeof p.value !== 'number') {
        throw new ValidationError(`Metric '${p.key}' must be a number; got ${typeof p.value}.`, {
          field: p.key,
        });
      }
      if (!Number.isSafeInteger(p.step) || p.step < 0) {
        throw new ValidationError(`Metric '${p.key}': step must be an integer ≥ 0; got ${p.step}.`, {
          field: 'step',
        });
      }
      // NaN is stored as NULL (SQLite cannot hold NaN) and read back as NaN.
      values.push(runId, p.key, p.step, Number.isNaN(p.value) ? null : p.value, p.at ?? now);
    }
    const insert = (n: number) =>
      `INSERT INTO metrics (run_id, key, step, value, logged_at) VALUES ${Array(n).fill('(?, ?, ?, ?, ?)').join(', ')}`;
    try {
      if (points.length <= METRIC_CHUNK) {
        // One statement is atomic by itself; the foreign key checks that the run exists.
        await this.db.runRelaxed(insert(points.length), values);
        return;
      }
      await this.db.transaction(async (tx) => {
        for (let i = 0; i < points.length; i += METRIC_CHUNK) {
          const n = Math.min(METRIC_CHUNK, points.length - i);
          await tx.run(insert(n), values.slice(i * 5, (i + n) * 5));
        }
      });
    } catch (e) {
      if (isForeignKeyViolation(e)) throw noRun(runId);
      throw e;
    }
  }

  async metricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const id = await this.resolveRunId(runId);
    const rows = await this.db.all(
      'SELECT step, value, logged_at FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, id',
      [id, key],
    );
    return rows.map((r) => ({ step: Number(r.step), value: numberOrNaN(r.value), at: iso(r.logged_at) }));
  }

  async setTags(runId: string, tags: Record<string, string>): Promise<void> {
    const rows = tagRows(tags);
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      await mustExist(tx, runId);
      for (const [key, value] of rows) {
        await tx.run(
          'INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
          [runId, key, value],
        );
      }
    });
  }

  async setNotes(runId: string, notes: string | null): Promise<void> {
    if (notes !== null && typeof notes !== 'string') {
      throw new ValidationError('Notes must be a string (or null to clear them).', { field: 'notes' });
    }
    checkStoreText(notes, 'Notes', Number.POSITIVE_INFINITY);
    if ((await this.db.run('UPDATE runs SET notes = ? WHERE id = ?', [notes, runId])) === 0)
      throw noRun(runId);
  }

  async heartbeat(runId: string): Promise<void> {
    await this.db.run("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'", [
      Date.now(),
      runId,
    ]);
  }

  async endRun(
    runId: string,
    status: Exclude<RunStatus, 'running'>,
    failure: string | null = null,
  ): Promise<void> {
    if (!RUN_STATUSES.includes(status) || status === ('running' as RunStatus)) {
      throw new ValidationError(`A run ends as finished, failed or interrupted; got '${status}'.`, {
        field: 'status',
      });
    }
    const now = Date.now();
    // The owning process has the last word, even over a reaper that wrongly gave up on it.
    const n = await this.db.run(
      'UPDATE runs SET status = ?, ended_at = ?, heartbeat_at = ?, failure = ? WHERE id = ?',
      [status, now, now, failure === null ? null : storableText(String(failure)), runId],
    );
    if (n === 0) throw noRun(runId);
  }

  async reapStaleRuns(): Promise<string[]> {
    const rows = await this.db.all<{ id: string; host: string; pid: number; heartbeat_at: number }>(
      "SELECT id, host, pid, heartbeat_at FROM runs WHERE status = 'running'",
    );
    if (rows.length === 0) return [];
    const here = hostname();
    const now = Date.now();
    const reaped: string[] = [];
    for (const r of rows) {
      const beat = Number(r.heartbeat_at);
      let why: string | undefined;
      if (r.host === here) {
        if (!processAlive(Number(r.pid)))
          why = `its process (pid ${r.pid} on ${r.host}) ended without ending the run`;
      } else if (now - beat > this.staleAfterMs) {
        why = `no heartbeat from pid ${r.pid} on ${r.host} since ${iso(beat)} (timeout ${Math.round(this.staleAfterMs / 1000)} s)`;
      }
      if (!why) continue;
      // Compare-and-set on the heartbeat, so a run that just showed a sign of life is left alone.
      const n = await this.db.run(
        "UPDATE runs SET status = 'failed', ended_at = ?, failure = ? WHERE id = ? AND status = 'running' AND heartbeat_at = ?",
        [beat, why, r.id, r.heartbeat_at],
      );
      if (n > 0) reaped.push(r.id);
    }
    return reaped;
  }

  async logDataset(runId: string, input: DatasetInput): Promise<DatasetRecord> {
    if (typeof input?.fingerprint !== 'string' || !/^[A-Za-z0-9:._-]{8,200}$/.test(input.fingerprint)) {
      throw new ValidationError(`Dataset fingerprint ${JSON.stringify(input?.fingerprint)} is not valid.`, {
        field: 'fingerprint',
        fix: "pass the data fingerprint (8–200 characters of letters, digits and ': . _ -'), e.g. a SHA-256 in hex",
      });
    }
    const role = checkTrackingKey(input.role ?? 'train', 'dataset role');
    checkStoreText(input.name, 'Dataset name', Number.POSITIVE_INFINITY);
    if (input.nRows !== undefined && (!Number.isSafeInteger(input.nRows) || input.nRows < 0)) {
      throw new ValidationError(`nRows must be a non-negative integer; got ${input.nRows}.`, {
        field: 'nRows',
      });
    }
    const schemaJson = input.schema === undefined ? null : JSON.stringify(input.schema);
    const profileJson = input.profileSummary === undefined ? null : JSON.stringify(input.profileSummary);
    await this.db.transaction(async (tx) => {
      await mustExist(tx, runId);
      await tx.run(
        `INSERT INTO datasets (fingerprint, name, schema_json, profile_json, n_rows, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (fingerprint) DO UPDATE SET
           name = COALESCE(datasets.name, excluded.name),
           schema_json = COALESCE(datasets.schema_json, excluded.schema_json),
           profile_json = COALESCE(datasets.profile_json, excluded.profile_json),
           n_rows = COALESCE(datasets.n_rows, excluded.n_rows)`,
        [input.fingerprint, input.name ?? null, schemaJson, profileJson, input.nRows ?? null, Date.now()],
      );
      await tx.run(
        'INSERT INTO run_datasets (run_id, fingerprint, role) VALUES (?, ?, ?) ON CONFLICT (run_id, fingerprint, role) DO NOTHING',
        [runId, input.fingerprint, role],
      );
    });
    return (await this.getDataset(input.fingerprint))!;
  }

  async getDataset(fingerprint: string): Promise<DatasetRecord | null> {
    const rows = await this.db.all(
      'SELECT fingerprint, name, schema_json, profile_json, n_rows, created_at FROM datasets WHERE fingerprint = ?',
      [fingerprint],
    );
    return rows.length ? datasetFrom(rows[0]) : null;
  }

  async recordArtifact(
    runId: string,
    input: { name: string; sha256: string; size: number; mediaType?: string | null },
  ): Promise<ArtifactRecord> {
    checkArtifactName(input.name);
    if (!isSha256(input.sha256))
      throw new ValidationError('Artifact sha256 must be 64 hex digits.', { field: 'sha256' });
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      await mustExist(tx, runId);
      await tx.run(
        `INSERT INTO artifacts (run_id, name, sha256, size, media_type, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
           media_type = excluded.media_type, created_at = excluded.created_at`,
        [runId, input.name, input.sha256, input.size, input.mediaType ?? null, now],
      );
    });
    return {
      name: input.name,
      sha256: input.sha256,
      size: input.size,
      mediaType: input.mediaType ?? null,
      createdAt: iso(now),
    };
  }

  async getArtifact(runId: string, name: string): Promise<ArtifactRecord> {
    checkArtifactName(name);
    const id = await this.resolveRunId(runId);
    const rows = await this.db.all(
      'SELECT name, sha256, size, media_type, created_at FROM artifacts WHERE run_id = ? AND name = ?',
      [id, name],
    );
    if (rows.length === 0) {
      const names = await this.db.all<{ name: string }>(
        'SELECT name FROM artifacts WHERE run_id = ? ORDER BY name',
        [id],
      );
      throw new ValidationError(`Run ${id} has no artifact named '${name}'.`, {
        field: 'artifact',
        fix: names.length
          ? `its artifacts are: ${names.map((n) => n.name).join(', ')}`
          : 'this run logged no artifacts',
      });
    }
    return artifactFrom(rows[0]);
  }

  // --- registry ------------------------------------------------------------------------------

  async createModelVersion(input: NewModelVersionInput): Promise<ModelVersionRecord> {
    checkModelName(input.name);
    checkStoreText(input.description, 'Model description', Number.POSITIVE_INFINITY);
    checkStoreText(input.source, 'Model source', Number.POSITIVE_INFINITY);
    if (!isSha256(input.packageSha256)) {
      throw new ValidationError('packageSha256 must be 64 hex digits.', { field: 'packageSha256' });
    }
    const now = Date.now();
    const version = await this.db.transaction(async (tx) => {
      if (input.runId != null) await mustExist(tx, input.runId);
      // One atomic statement allocates the number: the row lock serialises concurrent registrations.
      const [row] = await tx.all<{ last_version: number }>(
        `INSERT INTO registered_models (name, last_version, created_at, updated_at) VALUES (?, 1, ?, ?)
         ON CONFLICT (name) DO UPDATE SET last_version = registered_models.last_version + 1, updated_at = excluded.updated_at
         RETURNING last_version`,
        [input.name, now, now],
      );
      const v = Number(row.last_version);
      await tx.run(
        `INSERT INTO model_versions (name, version, package_sha256, package_size, run_id, task, metrics, source,
           description, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          input.name,
          v,
          input.packageSha256,
          input.packageSize,
          input.runId ?? null,
          input.task ?? null,
          JSON.stringify(input.metrics ?? {}),
          input.source ?? null,
          input.description ?? null,
          now,
          input.createdBy,
        ],
      );
      return v;
    });
    return this.getModelVersion(input.name, version);
  }

  async listModels(): Promise<RegisteredModelRecord[]> {
    const rows = await this.db.all(
      `SELECT m.name, m.last_version, m.description, m.created_at, m.updated_at, COUNT(v.version) AS n
       FROM registered_models m LEFT JOIN model_versions v ON v.name = m.name
       GROUP BY m.name, m.last_version, m.description, m.created_at, m.updated_at ORDER BY m.name`,
    );
    const aliases = await this.db.all<{ name: string; alias: string; version: number }>(
      'SELECT name, alias, version FROM model_aliases ORDER BY name, alias',
    );
    return rows.map((r) => modelFrom(r, aliases));
  }

  async getModel(name: string): Promise<RegisteredModelDetail> {
    checkModelName(name);
    const rows = await this.db.all(
      `SELECT m.name, m.last_version, m.description, m.created_at, m.updated_at, COUNT(v.version) AS n
       FROM registered_models m LEFT JOIN model_versions v ON v.name = m.name WHERE m.name = ?
       GROUP BY m.name, m.last_version, m.description, m.created_at, m.updated_at`,
      [name],
    );
    if (rows.length === 0) throw await this.noModel(name);
    const aliases = await this.db.all<{ name: string; alias: string; version: number }>(
      'SELECT name, alias, version FROM model_aliases WHERE name = ? ORDER BY alias',
      [name],
    );
    const versions = await this.db.all(`${VERSION_SELECT} WHERE name = ? ORDER BY version DESC`, [name]);
    return {
      ...modelFrom(rows[0], aliases),
      versions: versions.map((v) => versionFrom(v, aliases)),
    };
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersionRecord> {
    checkModelName(name);
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new ValidationError(`Model version must be an integer ≥ 1; got ${version}.`, {
        field: 'version',
      });
    }
    const rows = await this.db.all(`${VERSION_SELECT} WHERE name = ? AND version = ?`, [name, version]);
    if (rows.length === 0) throw await this.noVersion(name, version);
    const aliases = await this.db.all<{ name: string; alias: string; version: number }>(
      'SELECT name, alias, version FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias',
      [name, version],
    );
    return versionFrom(rows[0], aliases);
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersionRecord> {
    checkModelName(name);
    checkAliasName(alias);
    const rows = await this.db.all<{ version: number }>(
      'SELECT version FROM model_aliases WHERE name = ? AND alias = ?',
      [name, alias],
    );
    if (rows.length === 0) {
      const model = await this.getModel(name); // throws when the model itself is unknown
      const known = Object.keys(model.aliases);
      throw new ValidationError(`Model '${name}' has no alias '${alias}'.`, {
        field: 'alias',
        fix: known.length
          ? `its aliases are: ${known.map((a) => `${name}@${a}`).join(', ')}`
          : `set one with 'lathe models alias ${name}/${model.latestVersion} ${alias}'`,
      });
    }
    return this.getModelVersion(name, Number(rows[0].version));
  }

  async setAlias(
    name: string,
    alias: string,
    version: number,
    change: AliasChangeInput,
  ): Promise<AliasChangeRecord> {
    checkModelName(name);
    checkAliasName(alias);
    checkAliasChange(change);
    const now = Date.now();
    const record = await this.db.transaction(async (tx) => {
      const exists = await tx.all('SELECT version FROM model_versions WHERE name = ? AND version = ?', [
        name,
        version,
      ]);
      if (exists.length === 0) throw await this.noVersion(name, version, tx);
      const [before] = await tx.all<{ version: number }>(
        'SELECT version FROM model_aliases WHERE name = ? AND alias = ?',
        [name, alias],
      );
      await tx.run(
        `INSERT INTO model_aliases (name, alias, version, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        [name, alias, version, now],
      );
      return this.recordAliasChange(
        tx,
        name,
        alias,
        before ? Number(before.version) : null,
        version,
        change,
        now,
      );
    });
    return record;
  }

  async removeAlias(name: string, alias: string, change: AliasChangeInput): Promise<AliasChangeRecord> {
    checkModelName(name);
    checkAliasName(alias);
    checkAliasChange(change);
    const now = Date.now();
    const removed = await this.db.transaction(async (tx) => {
      const [before] = await tx.all<{ version: number }>(
        'SELECT version FROM model_aliases WHERE name = ? AND alias = ?',
        [name, alias],
      );
      if (!before) return null;
      await tx.run('DELETE FROM model_aliases WHERE name = ? AND alias = ?', [name, alias]);
      return this.recordAliasChange(tx, name, alias, Number(before.version), null, change, now);
    });
    if (removed) return removed;
    // Say what exists: an unknown model is its own error (with the registered names), else its aliases.
    const model = await this.getModel(name);
    const known = Object.keys(model.aliases);
    throw new ValidationError(`Model '${name}' has no alias '${alias}' to remove.`, {
      field: 'alias',
      fix: known.length
        ? `its aliases are: ${known.map((a) => `${name}@${a}`).join(', ')}`
        : `'${name}' has no aliases; there is nothing to remove`,
    });
  }

  async aliasHistory(name: string, alias?: string): Promise<AliasChangeRecord[]> {
    checkModelName(name);
    const rows = await this.db.all(
      `SELECT name, alias, from_version, to_version, action, actor, via, reason, at FROM model_alias_history
       WHERE name = ?${alias === undefined ? '' : ' AND alias = ?'} ORDER BY id`,
      alias === undefined ? [name] : [name, checkAliasName(alias)],
    );
    return rows.map(aliasChangeFrom);
  }

  // --- helpers -------------------------------------------------------------------------------

  private async recordAliasChange(
    tx: SqlExecutor,
    name: string,
    alias: string,
    from: number | null,
    to: number | null,
    change: AliasChangeInput,
    at: number,
  ): Promise<AliasChangeRecord> {
    await tx.run(
      `INSERT INTO model_alias_history (name, alias, from_version, to_version, action, actor, via, reason, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [name, alias, from, to, change.action, change.actor, change.via ?? null, change.reason ?? null, at],
    );
    return {
      name,
      alias,
      fromVersion: from,
      toVersion: to,
      action: change.action,
      actor: change.actor,
      via: change.via ?? null,
      reason: change.reason ?? null,
      at: iso(at),
    };
  }

  private async runRecord(id: string): Promise<RunRecord> {
    const rows = await this.db.all(
      `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
      [id],
    );
    if (rows.length === 0) throw noRun(id);
    return runFrom(rows[0]);
  }

  private latestMetrics(
    ids: string[],
  ): Promise<
    { run_id: string; key: string; value: number | null; step: number; logged_at: number; n: number }[]
  > {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.all(
      `SELECT run_id, key, value, step, logged_at, n FROM (
         SELECT run_id, key, value, step, logged_at,
           ROW_NUMBER() OVER (PARTITION BY run_id, key ORDER BY step DESC, id DESC) AS rn,
           COUNT(*) OVER (PARTITION BY run_id, key) AS n
         FROM metrics WHERE run_id IN (${ids.map(() => '?').join(', ')})
       ) t WHERE rn = 1 ORDER BY key`,
      ids,
    );
  }

  private async noModel(name: string): Promise<ValidationError> {
    const names = (
      await this.db.all<{ name: string }>('SELECT name FROM registered_models ORDER BY name LIMIT 30')
    ).map((r) => r.name);
    return new ValidationError(`No registered model named '${name}' in ${this.location}.`, {
      field: 'model',
      fix: names.length
        ? `registered models: ${names.join(', ')}`
        : "register one first ('lathe models register NAME PACKAGE' or 'lathe train … --register NAME')",
    });
  }

  private async noVersion(
    name: string,
    version: number,
    tx: SqlExecutor = this.db,
  ): Promise<ValidationError> {
    const rows = await tx.all<{ version: number }>(
      'SELECT version FROM model_versions WHERE name = ? ORDER BY version',
      [name],
    );
    if (rows.length === 0) return this.noModel(name);
    return new ValidationError(`Model '${name}' has no version ${version}.`, {
      field: 'version',
      fix: `its versions are ${summariseVersions(rows.map((r) => Number(r.version)))}`,
    });
  }
}

const EXPERIMENT_SELECT = `SELECT e.id, e.name, e.created_at, COUNT(r.id) AS runs, MAX(r.started_at) AS last_run_at
  FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id`;

const VERSION_SELECT = `SELECT name, version, package_sha256, package_size, run_id, task, metrics, source, description,
  created_at, created_by FROM model_versions`;

async function mustExist(tx: SqlExecutor, runId: string): Promise<void> {
  const rows = await tx.all('SELECT id FROM runs WHERE id = ?', [runId]);
  if (rows.length === 0) throw noRun(runId);
}

/** True for a foreign-key violation from either database. */
function isForeignKeyViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

function noRun(id: string): ValidationError {
  return new ValidationError(`No run '${id}' in the tracking store.`, {
    field: 'run id',
    fix: "list the runs with 'lathe runs list' (and check --store / LATHE_STORE)",
  });
}

/** Checks the free text of an alias change (why, by whom, through what) is storable. */
function checkAliasChange(change: AliasChangeInput): void {
  checkStoreText(change.reason, 'Reason', Number.POSITIVE_INFINITY);
  checkStoreText(change.actor, 'Actor', Number.POSITIVE_INFINITY);
  checkStoreText(change.via, 'Via', Number.POSITIVE_INFINITY);
}

function paramRows(params: Record<string, ParamValue>): [string, string][] {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ValidationError('Parameters must be an object of name → JSON value.', { field: 'params' });
  }
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    checkTrackingKey(key, 'parameter name');
    let text: string;
    try {
      text = JSON.stringify(jsonSafe(value, key));
    } catch (e) {
      if (e instanceof ValidationError) throw e;
      throw new ValidationError(`Parameter '${key}' is not JSON-serialisable: ${(e as Error).message}.`, {
        field: key,
        fix: 'pass numbers, strings, booleans, null, arrays or plain objects',
      });
    }
    if (text.length > MAX_PARAM_JSON) {
      throw new ValidationError(
        `Parameter '${key}' is ${text.length} characters as JSON; the limit is ${MAX_PARAM_JSON}.`,
        {
          field: key,
          fix: 'log large values as an artifact instead',
        },
      );
    }
    out.push([key, text]);
  }
  return out;
}

/** Checks a parameter value is plain JSON (non-finite numbers become strings, as JSON cannot hold them). */
function jsonSafe(v: unknown, key: string): ParamValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map((x) => jsonSafe(x, key));
  if (
    typeof v === 'object' &&
    (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
  ) {
    const out: Record<string, ParamValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>))
      if (x !== undefined) setOwn(out, k, jsonSafe(x, key));
    return out;
  }
  throw new ValidationError(
    `Parameter '${key}' holds a ${ArrayBuffer.isView(v) ? 'typed array' : typeof v === 'object' ? (v as object).constructor?.name : typeof v}, which is not plain JSON.`,
    {
      field: key,
      fix: 'pass numbers, strings, booleans, null, arrays or plain objects (Array.from a typed array)',
    },
  );
}

function tagRows(tags: Record<string, string>): [string, string][] {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new ValidationError('Tags must be an object of name → string.', { field: 'tags' });
  }
  return Object.entries(tags).map(([k, v]) => {
    checkTrackingKey(k, 'tag key');
    if (typeof v !== 'string' || v.length > 5000) {
      throw new ValidationError(`Tag '${k}' must be a string of at most 5000 characters; got ${typeof v}.`, {
        field: k,
      });
    }
    checkStoreText(v, `Tag '${k}'`, 5000);
    return [k, v];
  });
}

/**
 * Sets `obj[key]` as an own, enumerable property. Keys come from users and the database, and a
 * plain assignment of `'__proto__'` would replace the object's prototype instead (the key then
 * vanishes from the record and its value is inherited by every lookup).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function iso(ms: unknown): string {
  return new Date(Number(ms)).toISOString();
}

function isoOrNull(ms: unknown): string | null {
  return ms === null || ms === undefined ? null : iso(ms);
}

function numberOrNaN(v: unknown): number {
  return v === null || v === undefined ? Number.NaN : Number(v);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(`the stored ${what} is not valid JSON (${(e as Error).message}).`, {
      fix: 'the store was edited by hand; restore it from a backup',
    });
  }
}

function runFrom(r: Row): RunRecord {
  const ended = r.ended_at === null || r.ended_at === undefined ? null : Number(r.ended_at);
  return {
    id: String(r.id),
    experiment: String(r.experiment),
    name: (r.name as string | null) ?? null,
    parentId: (r.parent_id as string | null) ?? null,
    status: r.status as RunStatus,
    startedAt: iso(r.started_at),
    endedAt: isoOrNull(ended),
    heartbeatAt: iso(r.heartbeat_at),
    durationMs: ended === null ? null : ended - Number(r.started_at),
    host: String(r.host),
    pid: Number(r.pid),
    failure: (r.failure as string | null) ?? null,
    notes: (r.notes as string | null) ?? null,
  };
}

function experimentFrom(r: Row): ExperimentRecord {
  return {
    id: Number(r.id),
    name: String(r.name),
    createdAt: iso(r.created_at),
    runs: Number(r.runs),
    lastRunAt: isoOrNull(r.last_run_at),
  };
}

function datasetFrom(r: Row): DatasetRecord {
  return {
    fingerprint: String(r.fingerprint),
    name: (r.name as string | null) ?? null,
    schema: r.schema_json
      ? (parseJson(String(r.schema_json), `schema of dataset ${r.fingerprint}`) as Schema)
      : null,
    profileSummary: r.profile_json
      ? parseJson(String(r.profile_json), `profile of dataset ${r.fingerprint}`)
      : null,
    nRows: r.n_rows === null || r.n_rows === undefined ? null : Number(r.n_rows),
    createdAt: iso(r.created_at),
  };
}

function artifactFrom(r: Row): ArtifactRecord {
  return {
    name: String(r.name),
    sha256: String(r.sha256),
    size: Number(r.size),
    mediaType: (r.media_type as string | null) ?? null,
    createdAt: iso(r.created_at),
  };
}

function modelFrom(
  r: Row,
  aliases: { name: string; alias: string; version: number }[],
): RegisteredModelRecord {
  const map: Record<string, number> = {};
  for (const a of aliases) if (a.name === r.name) map[a.alias] = Number(a.version);
  return {
    name: String(r.name),
    latestVersion: Number(r.last_version),
    versionCount: Number(r.n),
    aliases: map,
    description: (r.description as string | null) ?? null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function versionFrom(
  r: Row,
  aliases: { name: string; alias: string; version: number }[],
): ModelVersionRecord {
  const version = Number(r.version);
  return {
    name: String(r.name),
    version,
    packageSha256: String(r.package_sha256),
    packageSize: Number(r.package_size),
    runId: (r.run_id as string | null) ?? null,
    task: (r.task as string | null) ?? null,
    metrics: r.metrics
      ? (parseJson(String(r.metrics), `metrics of ${r.name}/${version}`) as Record<string, number>)
      : {},
    source: (r.source as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    createdAt: iso(r.created_at),
    createdBy: String(r.created_by),
    aliases: aliases.filter((a) => a.name === r.name && Number(a.version) === version).map((a) => a.alias),
  };
}

function aliasChangeFrom(r: Row): AliasChangeRecord {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    name: String(r.name),
    alias: String(r.alias),
    fromVersion: n(r.from_version),
    toVersion: n(r.to_version),
    action: r.action as AliasChangeRecord['action'],
    actor: String(r.actor),
    via: (r.via as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    at: iso(r.at),
  };
}

/** "1–20" or "1, 3, 4" for error messages. */
function summariseVersions(vs: number[]): string {
  if (vs.length > 1 && vs[vs.length - 1] - vs[0] === vs.length - 1) return `${vs[0]}–${vs[vs.length - 1]}`;
  return vs.length > 12 ? `${vs.slice(0, 12).join(', ')}, …` : vs.join(', ');
}
