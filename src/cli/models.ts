/**
 * `lathe models list|show|register|alias|promote`: the model registry in the store (`--store`,
 * `LATHE_STORE`, or `./.lathe/lathe.db`). See docs/tracking.md for the `--json` shapes.
 *
 * @module
 */

import type { Command } from 'commander';
import { checkModelName } from '../track/names.ts';
import { readModelPackageArchive } from '../track/package/read.ts';
import {
  lookupModelVersion,
  parseModelRef,
  promoteModel,
  registerModel,
  removeModelAlias,
  setModelAlias,
  versionOutOfRange,
} from '../track/registry.ts';
import type {
  AliasChangeRecord,
  ModelVersionRecord,
  RegisteredModelDetail,
  RegisteredModelRecord,
} from '../track/store.ts';
import { action, type CommonOptions, output, UsageError, withCommonOptions } from './common.ts';
import { fmtNumber, fmtTime, textTable, withExistingStore, withStore } from './runs.ts';

/** What `lathe models show NAME/VERSION` (or NAME@ALIAS) prints with --json. */
export interface ModelVersionView {
  kind: 'version';
  version: ModelVersionRecord;
  package: {
    formatVersion: number;
    createdAt: string;
    estimator: string;
    task: string;
    target: string | null;
    inputColumns: { name: string; type: string }[];
    outputColumns: { name: string; type: string }[];
    metrics: Record<string, number>;
    lineage: unknown;
  };
}

/** What `lathe models show NAME` prints with --json. */
export interface ModelView {
  kind: 'model';
  model: RegisteredModelDetail;
  history: AliasChangeRecord[];
}

/** The command line as typed, for the "via" of alias history records. */
function commandLine(): string {
  return ['lathe', ...process.argv.slice(2)].join(' ');
}

/** Registers `lathe models`. */
export function register(program: Command): void {
  const models = program
    .command('models')
    .description('the model registry: list, show, register, alias, promote (see docs/tracking.md)');

  withCommonOptions(
    models.command('list').description('registered models with their latest version and aliases'),
  ).action(
    action(async (opts: CommonOptions) => {
      const list = await withExistingStore(opts, async (store) => ({
        store: store.location,
        models: await store.listModels(),
      }));
      output(opts, list, () => listText(list.models, list.store));
    }),
  );

  withCommonOptions(
    models
      .command('show <model>')
      .description('a model (NAME: versions and alias history) or one version (NAME/VERSION or NAME@ALIAS)'),
  ).action(
    action(async (ref: string, opts: CommonOptions) => {
      const view = await withExistingStore(opts, async (store): Promise<ModelView | ModelVersionView> => {
        const parsed = parseModelRef(ref);
        if (!parsed) {
          const range = versionOutOfRange(ref);
          if (range) throw range;
          checkModelName(ref);
          return { kind: 'model', model: await store.getModel(ref), history: await store.aliasHistory(ref) };
        }
        const version = await lookupModelVersion(store, parsed);
        const pkg = readModelPackageArchive(
          await store.artifacts.read(version.packageSha256),
          store.artifacts.pathOf(version.packageSha256),
        );
        return {
          kind: 'version',
          version,
          package: {
            formatVersion: pkg.manifest.formatVersion,
            createdAt: pkg.createdAt,
            estimator: pkg.model.type,
            task: pkg.task,
            target: pkg.target,
            inputColumns: pkg.inputSchema.columns.map((c) => ({ name: c.name, type: c.type })),
            outputColumns: pkg.outputSchema.columns.map((c) => ({ name: c.name, type: c.type })),
            metrics: pkg.metrics,
            lineage: pkg.lineage,
          },
        };
      });
      output(opts, view, () => (view.kind === 'model' ? modelText(view) : versionText(view)));
    }),
  );

  withCommonOptions(
    models
      .command('register <name> <package>')
      .description('register a model package (directory or .lathe file) as the next version of NAME')
      .option('--alias <alias>', 'also point this alias at the new version')
      .option('--description <text>', 'a description of this version'),
  ).action(
    action(
      async (name: string, pkg: string, opts: CommonOptions & { alias?: string; description?: string }) => {
        const v = await withStore(opts, (store) =>
          registerModel(store, name, pkg, {
            alias: opts.alias,
            description: opts.description,
            via: commandLine(),
          }),
        );
        output(
          opts,
          v,
          `Registered ${v.name}/${v.version}${v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(', ')})` : ''}.`,
        );
      },
    ),
  );

  withCommonOptions(
    models
      .command('alias <model> [alias]')
      .description('point ALIAS at NAME/VERSION (any alias name), or remove NAME@ALIAS with --delete')
      .option('--delete', 'remove the alias given as NAME@ALIAS')
      .option('--reason <text>', 'why (kept in the alias history)'),
  ).action(
    action(
      async (
        ref: string,
        alias: string | undefined,
        opts: CommonOptions & { delete?: boolean; reason?: string },
      ) => {
        const change = await withExistingStore(opts, (store) => {
          if (opts.delete) {
            if (alias !== undefined)
              throw new UsageError('With --delete, pass the alias as NAME@ALIAS and nothing else.');
            return removeModelAlias(store, ref, { reason: opts.reason, via: commandLine() });
          }
          if (alias === undefined) {
            throw new UsageError(
              "Missing the alias: 'lathe models alias NAME/VERSION ALIAS' (e.g. churn/3 challenger).",
            );
          }
          return setModelAlias(store, ref, alias, { reason: opts.reason, via: commandLine() });
        });
        output(opts, change, changeText(change));
      },
    ),
  );

  withCommonOptions(
    models
      .command('promote <model>')
      .description('move an alias (default champion) to NAME/VERSION; recorded as a promotion')
      .option('--to <alias>', 'the alias to move', 'champion')
      .option('--reason <text>', 'why (kept in the alias history)'),
  ).action(
    action(async (ref: string, opts: CommonOptions & { to: string; reason?: string }) => {
      const change = await withExistingStore(opts, (store) =>
        promoteModel(store, ref, { to: opts.to, reason: opts.reason, via: commandLine() }),
      );
      output(opts, change, changeText(change));
    }),
  );
}

function listText(models: RegisteredModelRecord[], location: string): string {
  if (models.length === 0) return `No registered models in ${location}.`;
  const rows = [['NAME', 'LATEST', 'VERSIONS', 'ALIASES', 'UPDATED (UTC)']];
  for (const m of models) {
    rows.push([
      m.name,
      String(m.latestVersion),
      String(m.versionCount),
      Object.entries(m.aliases)
        .map(([a, v]) => `${a}→${v}`)
        .join(' '),
      fmtTime(m.updatedAt),
    ]);
  }
  return textTable(rows);
}

function modelText(view: ModelView): string {
  const m = view.model;
  const lines = [
    `model ${m.name}: ${m.versionCount} version${m.versionCount === 1 ? '' : 's'}, latest ${m.latestVersion}`,
  ];
  if (m.description) lines.push(`  ${m.description}`);
  const rows = [['VERSION', 'ALIASES', 'TASK', 'METRICS', 'RUN', 'CREATED (UTC)', 'BY']];
  for (const v of m.versions) {
    rows.push([
      String(v.version),
      v.aliases.join(' '),
      v.task ?? '',
      Object.entries(v.metrics)
        .slice(0, 3)
        .map(([k, x]) => `${k}=${x === null ? 'NaN' : fmtNumber(x)}`)
        .join(' '),
      v.runId ? v.runId.slice(0, 8) : '',
      fmtTime(v.createdAt),
      v.createdBy,
    ]);
  }
  lines.push('', textTable(rows));
  if (view.history.length) {
    lines.push('', 'alias history');
    const h = [['WHEN (UTC)', 'ALIAS', 'CHANGE', 'ACTION', 'WHO', 'VIA', 'REASON']];
    for (const c of view.history) {
      h.push([
        fmtTime(c.at),
        c.alias,
        `${c.fromVersion ?? '—'} → ${c.toVersion ?? '—'}`,
        c.action,
        c.actor,
        c.via ?? '',
        c.reason ?? '',
      ]);
    }
    lines.push(textTable(h));
  }
  return lines.join('\n');
}

function versionText(view: ModelVersionView): string {
  const v = view.version;
  const p = view.package;
  const lines = [
    `${v.name}/${v.version}${v.aliases.length ? ` (${v.aliases.map((a) => `@${a}`).join(', ')})` : ''}`,
    `  estimator   ${p.estimator}`,
    `  task        ${p.task}${p.target ? ` (target '${p.target}')` : ''}`,
    `  inputs      ${p.inputColumns.map((c) => `${c.name}:${c.type}`).join(', ')}`,
    `  outputs     ${p.outputColumns.map((c) => c.name).join(', ')}`,
    `  metrics     ${
      Object.entries(p.metrics)
        .map(([k, x]) => `${k}=${fmtNumber(x)}`)
        .join(' ') || '—'
    }`,
    `  run         ${v.runId ?? '—'}`,
    `  source      ${v.source ?? '—'}`,
    `  package     sha256:${v.packageSha256} (${v.packageSize} bytes, format ${p.formatVersion})`,
    `  registered  ${fmtTime(v.createdAt)} UTC by ${v.createdBy}`,
  ];
  if (v.description) lines.push(`  description ${v.description}`);
  return lines.join('\n');
}

function changeText(c: AliasChangeRecord): string {
  if (c.toVersion === null) return `Removed ${c.name}@${c.alias} (was version ${c.fromVersion}).`;
  const verb = c.action === 'promote' ? 'Promoted' : 'Set';
  const from =
    c.fromVersion === null
      ? 'new alias'
      : c.fromVersion === c.toVersion
        ? 'unchanged'
        : `was ${c.fromVersion}`;
  return `${verb} ${c.name}@${c.alias} → version ${c.toVersion} (${from}).`;
}
