// loadModelPackage refuses a package whose manifest contradicts its own fitted model, instead of
// scoring with it (a pipeline whose columns the input schema lacks scored every table as empty).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { predictTable } from '../../src/automl/predict.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { numericColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { LinearRegression } from '../../src/models/index.ts';
import { Pipeline, StandardScaler } from '../../src/preprocess/index.ts';
import { manifestChecksum } from '../../src/track/package/format.ts';
import { writeModelPackage } from '../../src/track/package/write.ts';
import { loadModelPackage } from '../../src/track/registry.ts';
import { INPUT_SCHEMA, OUTPUT_SCHEMA } from './helpers.ts';

const X = new Table([numericColumn('x0', [1, 2, 3, 4]), numericColumn('x1', [0.5, -1, 2, 0.25])]);
const y = [1, 2, 3.5, 4];

let dir: string;
let n = 0;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-load-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A package of a fitted scaler + linear regression, with `edit` applied to its manifest and resealed. */
async function pkgWith(edit: (m: Record<string, unknown>) => void): Promise<string> {
  const model = new Pipeline({
    steps: [
      ['scale', new StandardScaler()],
      ['lr', new LinearRegression()],
    ],
  }).fit(X, y);
  const path = join(dir, `pkg-${++n}`);
  await writeModelPackage(path, {
    model,
    task: 'regression',
    target: 'y',
    inputSchema: INPUT_SCHEMA,
    outputSchema: OUTPUT_SCHEMA,
  });
  const file = join(path, 'manifest.json');
  const m = JSON.parse(readFileSync(file, 'utf8'));
  edit(m);
  m.checksum = { algorithm: 'sha256', value: manifestChecksum(m) };
  writeFileSync(file, JSON.stringify(m));
  return path;
}

async function refused(path: string, re: RegExp): Promise<void> {
  await assert.rejects(loadModelPackage(path), (e: unknown) => {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${(e as Error)?.stack}`);
    assert.match(e.message, re);
    assert.ok(e.message.includes(path), `message should name the package: ${e.message}`);
    return true;
  });
}

describe('loadModelPackage: a manifest that contradicts its model', () => {
  it('loads and scores the package as written', async () => {
    const loaded = await loadModelPackage(await pkgWith(() => {}));
    assert.equal(predictTable(loaded.model, loaded.pkg.inputSchema, X).table.nRows, 4);
  });

  it('refuses an input schema that lacks columns the fitted pipeline reads', async () => {
    const path = await pkgWith((m) => {
      const s = m.inputSchema as { columns: { name: string }[] };
      s.columns = s.columns.map((c, j) => ({ ...c, name: `other${j}` }));
    });
    await refused(path, /input schema lacks 2 columns its fitted Pipeline reads: 'x0', 'x1'/);
  });

  it('refuses a task that does not fit the kind of model', async () => {
    const path = await pkgWith((m) => {
      m.task = 'binary';
    });
    await refused(path, /its task is 'binary', but its model Pipeline is a regressor/);
  });
});
