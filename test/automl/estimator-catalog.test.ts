import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogedEstimators } from '../../src/automl/estimator-catalog.ts';
import { registeredEstimators } from '../../src/core/estimator.ts';
import '../../src/models/index.ts';
import '../../src/preprocess/index.ts';

const CATALOG = fileURLToPath(new URL('../../src/automl/estimator-catalog.ts', import.meta.url));
const ESTIMATOR = fileURLToPath(new URL('../../src/core/estimator.ts', import.meta.url));

describe('the estimator catalog (classes imported on demand when a model is loaded)', () => {
  it('knows every class the model and preprocessing modules register, and no other', () => {
    assert.deepEqual([...catalogedEstimators()].sort(), registeredEstimators());
  });

  it('imports, for each type alone (in a fresh process), a module that registers it — nested ones too', () => {
    // A fresh process: nothing registered but what the catalog imports.
    const script = `
      const { loadEstimatorClasses, catalogedEstimators } = await import(${JSON.stringify(CATALOG)});
      const { estimatorClass, registeredEstimators } = await import(${JSON.stringify(ESTIMATOR)});
      const out = { before: registeredEstimators(), missing: [] };
      // Nested as a pipeline nests them: found inside params and arrays.
      await loadEstimatorClasses([{ type: 'Pipeline', params: { steps: [['scale', { type: 'StandardScaler', params: {}, state: null, version: 1 }]] }, state: null, version: 1 }, null]);
      out.nested = ['Pipeline', 'StandardScaler'].filter((t) => !estimatorClass(t));
      for (const t of catalogedEstimators()) {
        await loadEstimatorClasses({ type: t, params: {}, state: null, version: 1 });
        if (!estimatorClass(t)) out.missing.push(t);
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { before: string[]; nested: string[]; missing: string[] };
    assert.deepEqual(out.before, [], 'the catalog itself imports no estimator module');
    assert.deepEqual(out.nested, []);
    assert.deepEqual(out.missing, []);
  });
});
