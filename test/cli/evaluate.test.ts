// lathe evaluate reads the truth column as the model's classes are written: text classes that
// look like numbers ('1.0', '2.0') are not sniffed into numbers (1, 2: no class of the model).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-evaluate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function accuracy(stdout: string): number | undefined {
  const metrics = JSON.parse(stdout).metrics as { key: string; value: number }[];
  return metrics.find((m) => m.key === 'accuracy')?.value;
}

describe('lathe evaluate: text classes that look like numbers', () => {
  before(async () => {
    // Classes '1.0', '2.0' and 'x' (text: the column also holds 'x'), separated by `a`.
    const lines = ['a,y'];
    for (let i = 0; i < 90; i++) {
      const y = ['1.0', '2.0', 'x'][i % 3];
      lines.push(`${(i % 3) * 5 + (i % 7) / 10},${y}`);
    }
    writeFileSync(join(dir, 'train.csv'), `${lines.join('\n')}\n`);
    const r = await runCli(
      ['train', 'train.csv', '--target', 'y', '--model', 'logistic', '--out', 'm', '--quiet'],
      {
        cwd: dir,
      },
    );
    assert.equal(r.code, 0, r.stderr);
  });

  it('a CSV whose truth holds only 1.0 and 2.0 is compared as the classes, as written', async () => {
    writeFileSync(join(dir, 'holdout.csv'), 'a,y\n0.1,1.0\n5.2,2.0\n0.3,1.0\n');
    const r = await runCli(['evaluate', 'm', 'holdout.csv', '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(accuracy(r.stdout), 1);
    assert.deepEqual(JSON.parse(r.stdout).unseenLabels, []);
  });

  it('NDJSON numbers in the truth are the classes of the same value', async () => {
    writeFileSync(join(dir, 'holdout.ndjson'), '{"a":0.1,"y":1.0}\n{"a":5.2,"y":2}\n{"a":10.1,"y":"x"}\n');
    const r = await runCli(['evaluate', 'm', 'holdout.ndjson', '--resamples', '0', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(accuracy(r.stdout), 1);
  });
});
