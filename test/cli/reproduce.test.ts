import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-repro-'));
after(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync(join(ROOT, 'examples/customers.csv'), join(dir, 'customers.csv'));

async function train(model: string, threads: string): Promise<string> {
  const r = await runCli(
    [
      'train',
      'customers.csv',
      '--target',
      'churned',
      '--model',
      model,
      '--out',
      `m-${model}`,
      '--force',
      '--json',
    ],
    {
      cwd: dir,
      env: { LATHE_THREADS: threads },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).runId;
}

describe('lathe reproduce', () => {
  for (const model of ['gbdt', 'random-forest']) {
    it(`re-runs a ${model} train run bit for bit, trained on 1 thread and reproduced on 2`, async () => {
      const id = await train(model, '1');
      const r = await runCli(['reproduce', id.slice(0, 8), '--json'], {
        cwd: dir,
        env: { LATHE_THREADS: '2' },
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const j = JSON.parse(r.stdout);
      assert.equal(j.identical, true);
      assert.ok(j.checks.some((c: { what: string }) => c.what === 'model sha256'));
      assert.ok(j.checks.length > 5);
    });
  }

  it('re-runs a tune run (search + refit) bit for bit on another thread count', async () => {
    const t = await runCli(
      [
        'tune',
        'customers.csv',
        '--target',
        'churned',
        '--model',
        'tree',
        '--trials',
        '4',
        '--cv',
        '2',
        '--out',
        'm-tuned',
        '--force',
        '--json',
      ],
      { cwd: dir, env: { LATHE_THREADS: '2' } },
    );
    assert.equal(t.code, 0, t.stderr);
    const id = JSON.parse(t.stdout).runId;
    const r = await runCli(['reproduce', id, '--json'], { cwd: dir, env: { LATHE_THREADS: '1' } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const j = JSON.parse(r.stdout);
    assert.equal(j.command, 'tune');
    assert.equal(j.identical, true);
    assert.ok(j.checks.some((c: { what: string }) => c.what === 'best trial'));
  });

  it('refuses when the data changed since the run', async () => {
    const id = await train('logistic', '1');
    appendFileSync(
      join(dir, 'customers.csv'),
      'C99999,2024-01-01,30,East,basic,20,1,20,0,true,mailed_check,no\n',
    );
    const r = await runCli(['reproduce', id], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no longer match run/);
  });

  it('says so for an unknown run', async () => {
    const r = await runCli(['reproduce', 'ffffffff'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ffffffff/);
  });
});
