// Warnings on the command line: once each (worker threads included), in CLI terms.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliWarningMessage } from '../../src/cli/warnings.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-warnings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('cliWarningMessage', () => {
  const conv = (message: string) => cliWarningMessage({ category: 'ConvergenceWarning', message });

  it('turns the lbfgs advice into the --params to pass, not a StandardScaler', () => {
    const m = conv(
      'LogisticRegression: lbfgs failed to converge (the iteration limit was reached after 100 iterations). Increase maxIter or scale the data (e.g. StandardScaler in a Pipeline).',
    );
    assert.match(m, /after 100 iterations\)\. Raise the limit with --params '\{"maxIter":1000\}'/);
    assert.match(m, /already standardised/);
    assert.doesNotMatch(m, /StandardScaler|Pipeline/);
    assert.match(
      conv(
        'LogisticRegression: lbfgs failed to converge (the iteration limit was reached after 2000 iterations). Increase maxIter or scale the data (e.g. StandardScaler in a Pipeline).',
      ),
      /"maxIter":20000/,
    );
  });

  it('words newton-cd and the elastic-net family in --params terms', () => {
    assert.match(
      conv(
        'LogisticRegression: newton-cd did not reach tol=0.0001 after 50 iterations (optimality 1.00e-2). Increase maxIter or scale the data.',
      ),
      /Raise the limit with --params '\{"maxIter":1000\}'/,
    );
    const m = conv(
      'Lasso: objective did not converge after 1000 sweeps (duality gap 1.000e-1, tolerance 1.000e-4). Increase maxIter, scale the features, or increase alpha.',
    );
    assert.match(m, /--params '\{"maxIter":10000\}', or regularise more with a larger "alpha" in --params/);
  });

  it('leaves other warnings as they are', () => {
    const w = { category: 'UserWarning' as const, message: '--cv 10: the class x has only 4 rows' };
    assert.equal(cliWarningMessage(w), w.message);
  });
});

describe('lathe train: a convergence warning of the --cv folds (worker threads)', () => {
  it('is printed once, in CLI terms, and not with --quiet', async () => {
    const args = [
      'train',
      join(ROOT, 'examples/customers.csv'),
      '--target',
      'churned',
      '--model',
      'logistic',
      '--params',
      '{"maxIter":3}',
      '--cv',
      '4',
      '--no-track',
      '--out',
      'm',
      '--force',
    ];
    const r = await runCli(args, { cwd: dir, env: { LATHE_QUIET_WARNINGS: '0', LATHE_THREADS: '2' } });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('warning (ConvergenceWarning)'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /--params '\{"maxIter":1000\}'/);
    assert.doesNotMatch(r.stderr, /StandardScaler/);
    const q = await runCli([...args, '--quiet'], {
      cwd: dir,
      env: { LATHE_QUIET_WARNINGS: '0', LATHE_THREADS: '2' },
    });
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, '');
  });
});
