/**
 * The model registry: named models with versions 1, 2, 3, … (allocated by the store inside a
 * transaction, so concurrent registrations never collide or skip), aliases such as `champion` and
 * `challenger` with a history of who moved them, and references that work wherever a model path
 * does:
 *
 * | reference | means |
 * |---|---|
 * | `churn/3` | version 3 of model `churn` |
 * | `churn@champion` | the version alias `champion` points at |
 * | `models:/churn/3`, `models:/churn@champion` | the same, never taken for a path |
 * | anything else | a path to a package directory or `.lathe` archive |
 *
 * A path that exists on disk wins over a registry reference of the same spelling; prefix
 * `models:/` to force the registry.
 *
 * A registered version's package is stored, checked, in its archive form in the store's
 * content-addressed artifact area; resolving a reference yields the path of that archive.
 *
 * @module
 */

import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataError, ValidationError } from '../core/errors.ts';
import { type Estimator, type EstimatorKind, estimatorFromJSON } from '../core/estimator.ts';
import { currentActor } from './actor.ts';
import { sha256Hex } from './artifacts.ts';
import { checkAliasName, checkArtifactName, checkModelName } from './names.ts';
import { type OpenStoreOptions, openStore } from './open.ts';
import { MANIFEST_FILE } from './package/format.ts';
import {
  type ModelPackage,
  modelPackageArchive,
  readModelPackage,
  readModelPackageArchive,
} from './package/read.ts';
import type { AliasChangeRecord, ModelVersionRecord, Store } from './store.ts';

/** Where a version comes from: a package path, or a model package logged as a run artifact. */
export type ModelSource = string | { run: string; artifact?: string };

/** Options for {@link registerModel}. */
export interface RegisterModelOptions {
  description?: string | null;
  /** Also point this alias at the new version. */
  alias?: string;
  /** Why (recorded in the alias history when `alias` is given). */
  reason?: string | null;
  /** What registered it (default: the command line). */
  via?: string | null;
}

/** A parsed registry reference. */
export type ParsedModelRef =
  | { name: string; version: number; alias?: undefined }
  | { name: string; alias: string; version?: undefined };

/** What a model reference resolved to. */
export interface ResolvedModelRef {
  /** `path`: a package on disk; `registry`: a registered version. */
  kind: 'path' | 'registry';
  /** The package directory or archive to read. */
  path: string;
  name?: string;
  version?: number;
  alias?: string;
  /** SHA-256 of the registered archive. */
  sha256?: string;
}

/** Options for functions that may need the store. */
export interface ModelRefOptions {
  /** A store or store URL (default `LATHE_STORE`, else `./.lathe/lathe.db`); opened only when needed. */
  store?: Store | string | null;
  /** How to open `store` when it is a URL (e.g. how long to wait for a locked SQLite file); never creates it. */
  storeOptions?: OpenStoreOptions;
}

/** Parses `name/3`, `name@alias` (optionally prefixed `models:/`); null when `ref` is neither. */
export function parseModelRef(ref: string): ParsedModelRef | null {
  if (typeof ref !== 'string') return null;
  const s = ref.startsWith('models:/') ? ref.slice('models:/'.length) : ref;
  let m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([1-9][0-9]{0,8})$/.exec(s);
  if (m && !m[1].includes('..')) return { name: m[1], version: Number(m[2]) };
  m = /^([A-Za-z0-9][A-Za-z0-9._-]*)@([A-Za-z][A-Za-z0-9._-]*)$/.exec(s);
  if (m && !m[1].includes('..')) return { name: m[1], alias: m[2] };
  return null;
}

/**
 * `NAME/0` or a version past any (`NAME/1234567890`): a reference to a version out of range —
 * `parseModelRef` takes none — as an error saying so, rather than a bad name or a missing path;
 * null for anything else.
 */
export function versionOutOfRange(ref: string): ValidationError | null {
  const m = /^(?:models:\/)?([A-Za-z0-9][A-Za-z0-9._-]*)\/(\d+)$/.exec(ref);
  if (!m || m[1].includes('..')) return null;
  return new ValidationError(
    `${ref}: versions of a model are numbered from 1 up (and below 10⁹); ${m[2]} is none of them.`,
    { field: 'model', fix: `lathe models show ${m[1]} lists its versions` },
  );
}

/** The process's command line, for the "via" of history records. */
function defaultVia(): string {
  const [script, ...rest] = process.argv.slice(1);
  const text = [script ? basename(script) : 'node', ...rest].join(' ');
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * Registers a model package as the next version of `name` (1 for a new name). The package is
 * read and checked first, then stored in archive form in the artifact store. The version's run is
 * the source run (for `{ run }` sources) or the `runId` in the package lineage, when that run is
 * in this store.
 */
export async function registerModel(
  store: Store,
  name: string,
  source: ModelSource,
  options: RegisterModelOptions = {},
): Promise<ModelVersionRecord> {
  checkModelName(name);
  if (options.alias !== undefined) checkAliasName(options.alias);
  let bytes: Buffer;
  let pkg: ModelPackage;
  let runId: string | null = null;
  let sourceText: string;
  if (typeof source === 'string') {
    let version: ModelVersionRecord | undefined;
    ({ bytes, pkg, version } = await modelArchiveFor(source, store));
    sourceText = version ? `${version.name}/${version.version}` : pkg.path;
    const lineageRun = version ? version.runId : pkg.lineage?.runId;
    if (typeof lineageRun === 'string') runId = await store.resolveRunId(lineageRun).catch(() => null);
  } else if (typeof source === 'object' && source !== null && typeof source.run === 'string') {
    const artifact = checkArtifactName(source.artifact ?? 'model');
    runId = await store.resolveRunId(source.run);
    const record = await store.getArtifact(runId, artifact);
    bytes = await store.artifacts.read(record.sha256);
    pkg = readModelPackageArchive(bytes, `run ${runId} artifact '${artifact}'`);
    sourceText = `run:${runId}/${artifact}`;
  } else {
    throw new ValidationError('registerModel: the source must be a package path or { run, artifact }.', {
      field: 'source',
    });
  }
  const blob = await store.artifacts.putBytes(bytes);
  const version = await store.createModelVersion({
    name,
    packageSha256: blob.sha256,
    packageSize: blob.size,
    runId,
    task: pkg.task,
    metrics: pkg.metrics,
    source: sourceText,
    description: options.description ?? pkg.description ?? null,
    createdBy: currentActor(),
  });
  if (options.alias === undefined) return version;
  await store.setAlias(name, options.alias, version.version, {
    action: 'set',
    actor: currentActor(),
    via: options.via ?? defaultVia(),
    reason: options.reason ?? `registered as version ${version.version}`,
  });
  return store.getModelVersion(name, version.version);
}

/**
 * The archive bytes of the package a reference names (a path, or `name/3` / `name@alias` in
 * `store`), read and checked — for a registered version, also against its address.
 */
export async function modelArchiveFor(
  ref: string,
  store: Store,
): Promise<{ bytes: Buffer; pkg: ModelPackage; version?: ModelVersionRecord }> {
  const resolved = await resolveModelRef(ref, { store });
  if (resolved.kind === 'path') return modelPackageArchive(resolved.path);
  const version = await store.getModelVersion(resolved.name!, resolved.version!);
  const bytes = await store.artifacts.read(version.packageSha256);
  return { bytes, pkg: readModelPackageArchive(bytes, resolved.path), version };
}

/** Parses `name/version` (for alias and promote), with a clear error otherwise. */
function versionRef(ref: string | { name: string; version: number }): { name: string; version: number } {
  if (typeof ref === 'object' && ref !== null)
    return { name: checkModelName(ref.name), version: ref.version };
  const p = parseModelRef(ref);
  if (!p || p.version === undefined) {
    throw new ValidationError(`${JSON.stringify(ref)} is not a model version reference.`, {
      field: 'model',
      fix: "write it as NAME/VERSION, e.g. 'churn/3'",
    });
  }
  return { name: p.name, version: p.version };
}

/** Points `alias` at a version (`'churn/3'`), recording who and what moved it. */
export async function setModelAlias(
  store: Store,
  ref: string | { name: string; version: number },
  alias: string,
  options: { reason?: string | null; via?: string | null } = {},
): Promise<AliasChangeRecord> {
  const { name, version } = versionRef(ref);
  return store.setAlias(name, checkAliasName(alias), version, {
    action: 'set',
    actor: currentActor(),
    via: options.via ?? defaultVia(),
    reason: options.reason ?? null,
  });
}

/** Promotes a version: moves alias `to` (default `champion`) to it, recorded as a promotion. */
export async function promoteModel(
  store: Store,
  ref: string | { name: string; version: number },
  options: { to?: string; reason?: string | null; via?: string | null } = {},
): Promise<AliasChangeRecord> {
  const { name, version } = versionRef(ref);
  return store.setAlias(name, checkAliasName(options.to ?? 'champion'), version, {
    action: 'promote',
    actor: currentActor(),
    via: options.via ?? defaultVia(),
    reason: options.reason ?? null,
  });
}

/** Removes an alias (`'churn@challenger'`), recording who and what removed it. */
export async function removeModelAlias(
  store: Store,
  ref: string,
  options: { reason?: string | null; via?: string | null } = {},
): Promise<AliasChangeRecord> {
  const p = parseModelRef(ref);
  if (!p || p.alias === undefined) {
    throw new ValidationError(`${JSON.stringify(ref)} is not an alias reference.`, {
      field: 'alias',
      fix: "write it as NAME@ALIAS, e.g. 'churn@challenger'",
    });
  }
  return store.removeAlias(p.name, p.alias, {
    action: 'remove',
    actor: currentActor(),
    via: options.via ?? defaultVia(),
    reason: options.reason ?? null,
  });
}

/** The registered version a parsed reference names. */
export async function lookupModelVersion(store: Store, ref: ParsedModelRef): Promise<ModelVersionRecord> {
  return ref.version !== undefined
    ? store.getModelVersion(ref.name, ref.version)
    : store.getModelVersionByAlias(ref.name, ref.alias);
}

/**
 * Resolves a model reference (see the module docs) to the package to read. Opens the store only
 * for registry references (and closes it again if it opened it).
 */
export async function resolveModelRef(ref: string, options: ModelRefOptions = {}): Promise<ResolvedModelRef> {
  if (typeof ref !== 'string' || ref === '' || ref.includes('\0')) {
    throw new ValidationError('A model reference must be a non-empty string.', {
      field: 'model',
      fix: 'pass a package path, NAME/VERSION or NAME@ALIAS',
    });
  }
  const forced = ref.startsWith('models:/');
  if (!forced && (await exists(ref))) return { kind: 'path', path: ref };
  const parsed = parseModelRef(ref);
  if (!parsed) {
    if (forced) {
      throw new ValidationError(`${JSON.stringify(ref)} is not a registry reference.`, {
        field: 'model',
        fix: 'write models:/NAME/VERSION or models:/NAME@ALIAS',
      });
    }
    const range = versionOutOfRange(ref);
    if (range) throw range;
    // A bare name ('churn') is most likely a registered model without its version or alias.
    let bareName = false;
    try {
      checkModelName(ref);
      bareName = true;
    } catch {
      // not a model name either: a path
    }
    throw new DataError(
      'no model package here, and it is not a registry reference (NAME/VERSION or NAME@ALIAS).',
      {
        file: ref,
        fix: bareName
          ? `if '${ref}' is a registered model, name one of its versions: ${ref}/VERSION or ${ref}@ALIAS (lathe models show ${ref} lists them); else check the path`
          : "check the path, or list registered models with 'lathe models list'",
      },
    );
  }
  const owns = options.store == null || typeof options.store === 'string';
  const store = owns
    ? await openStore(options.store as string | null | undefined, { ...options.storeOptions, create: false })
    : (options.store as Store);
  try {
    const v = await lookupModelVersion(store, parsed);
    const path = store.artifacts.pathOf(v.packageSha256);
    if (!(await exists(path))) {
      throw new DataError(`the package of ${v.name}/${v.version} is missing from the artifact store.`, {
        file: path,
        fix: 'the artifact folder was moved or cleaned; set LATHE_ARTIFACTS to where it is',
      });
    }
    return {
      kind: 'registry',
      path,
      name: v.name,
      version: v.version,
      alias: parsed.alias,
      sha256: v.packageSha256,
    };
  } finally {
    if (owns) await store.close();
  }
}

/**
 * What a reference points at now, as a string that changes when it points elsewhere — without
 * reading the package: for a registry reference the version and archive digest it resolves to
 * (an alias moved, a version registered again elsewhere), for a path the inode, size and time of
 * its manifest (a package directory) or archive (rewritten, or replaced by a rename). What
 * `lathe serve --watch` asks to know when to load a model again.
 */
export async function modelRefIdentity(ref: string, options: ModelRefOptions = {}): Promise<string> {
  const r = await resolveModelRef(ref, options);
  if (r.kind === 'registry') return `registry:${r.name}/${r.version}:${r.sha256}`;
  const st = await stat(r.path);
  const file = st.isDirectory() ? await stat(join(r.path, MANIFEST_FILE)) : st;
  return `path:${file.dev}:${file.ino}:${file.size}:${file.mtimeMs}`;
}

/** Reads and checks the package a reference (path, `name/3`, `name@alias`) points at. */
export async function readModelRef(
  ref: string,
  options: ModelRefOptions = {},
): Promise<{ pkg: ModelPackage; ref: ResolvedModelRef }> {
  const resolved = await resolveModelRef(ref, options);
  if (resolved.kind === 'path') return { pkg: await readModelPackage(resolved.path), ref: resolved };
  // A registered package is an archive named by its SHA-256: check the whole file against it.
  const bytes = await readFile(resolved.path);
  const actual = sha256Hex(bytes);
  if (actual !== resolved.sha256) {
    throw new DataError(
      `the stored package of ${resolved.name}/${resolved.version} is corrupt: it hashes to ${actual.slice(0, 12)}…, not to its address.`,
      { file: resolved.path, fix: 'restore the artifact folder from a backup, or register the model again' },
    );
  }
  return { pkg: readModelPackageArchive(bytes, resolved.path), ref: resolved };
}

/** A loaded model: the checked package and its estimators, rebuilt through the registered classes. */
export interface LoadedModel {
  pkg: ModelPackage;
  ref: ResolvedModelRef;
  model: Estimator;
  preprocessing: Estimator | null;
}

/** Options of {@link loadModelPackage}. */
export interface LoadModelOptions extends ModelRefOptions {
  /**
   * Called with the checked package before its estimators are rebuilt — to import the modules of
   * the estimator classes it names (the tracking layer knows no model classes; `loadModel` does).
   */
  beforeBuild?: (pkg: ModelPackage) => Promise<void>;
}

/**
 * Loads a model from a path or registry reference: reads and checks the package, then rebuilds
 * the estimators with `estimatorFromJSON` (only registered estimator classes; nothing from the
 * file is run).
 */
export async function loadModelPackage(ref: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const { pkg, ref: resolved } = await readModelRef(ref, options);
  await options.beforeBuild?.(pkg);
  try {
    const model = estimatorFromJSON(pkg.model);
    const preprocessing = pkg.preprocessing ? estimatorFromJSON(pkg.preprocessing) : null;
    const problem = packageDisagreement(pkg, model, preprocessing);
    if (problem) {
      throw new ValidationError(problem, {
        fix: 'the package was edited or damaged: its manifest contradicts its fitted model; re-export the model',
      });
    }
    return { pkg, ref: resolved, model, preprocessing };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    // The estimator's own message knows no package: name it (and the registry version) first.
    const which =
      resolved.kind === 'registry'
        ? `${ref} (${resolved.name}/${resolved.version}, ${resolved.path})`
        : resolved.path === ref
          ? ref
          : `${ref} (${resolved.path})`;
    throw new ValidationError(`the model package ${which} cannot be loaded: ${e.message}`, {
      field: 'model',
      cause: e,
    });
  }
}

/** The estimator kinds each package task may hold. */
const TASK_KINDS: Record<ModelPackage['task'], readonly EstimatorKind[]> = {
  binary: ['classifier'],
  multiclass: ['classifier'],
  regression: ['regressor'],
  clustering: ['clusterer'],
  transform: ['transformer'],
};

/**
 * Why a package's manifest contradicts its own fitted estimators, or undefined when they agree:
 * its `task` must fit the model's kind, and every input column the first estimator reads must
 * be in `inputSchema` (scoring selects the data's columns by that schema, so a column it lacks
 * would never reach the model — a pipeline reading none of them scored every table as empty).
 */
export function packageDisagreement(
  pkg: ModelPackage,
  model: Estimator,
  preprocessing: Estimator | null,
): string | undefined {
  if (!TASK_KINDS[pkg.task].includes(model.kind)) {
    return `its task is '${pkg.task}', but its model ${model.typeName} is a ${model.kind}`;
  }
  const first = (preprocessing ?? model) as Estimator & { requiredColumns?: () => string[] };
  if (!first.isFitted()) return `its ${preprocessing ? 'preprocessing' : 'model'} is not fitted`;
  const reads =
    typeof first.requiredColumns === 'function' ? first.requiredColumns() : first.featureNamesIn_!;
  const listed = new Set(pkg.inputSchema.columns.map((c) => c.name));
  const missing = reads.filter((c) => !listed.has(c));
  if (missing.length) {
    const names = missing.slice(0, 8).map((c) => `'${c}'`);
    return `its input schema lacks ${missing.length === 1 ? 'the column' : `${missing.length} columns`} its fitted ${first.typeName} reads: ${names.join(', ')}${missing.length > 8 ? ', …' : ''}`;
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
