// The output guards of the command line: an output is never an input, whatever path names it.
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkOutputs, realPath, rejectsOutput } from '../../src/cli/paths.ts';
import { ValidationError } from '../../src/core/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-paths-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'data.csv');
writeFileSync(data, 'a,b\n1,2\n');
const input = [{ path: data, what: 'the data file' }];

function refuses(out: string, re: RegExp, inputs = input, replacesDirectory = false): void {
  assert.throws(
    () => checkOutputs([{ path: out, what: '-o', replacesDirectory }], inputs),
    (e: unknown) => e instanceof ValidationError && re.test((e as Error).message),
    out,
  );
}

describe('checkOutputs', () => {
  it('refuses an output that is the input file, by any name', () => {
    refuses(data, /-o .*data\.csv is the same file as the data file .*Fix: choose another path for -o/);
    refuses(join(dir, '.', 'sub', '..', 'data.csv'), /same file/);
    refuses(relative(process.cwd(), data), /same file/);
    const link = join(dir, 'link.csv');
    symlinkSync(data, link);
    refuses(link, /same file/);
    refuses(data, /same file/, [{ path: link, what: 'the data file' }]);
    const hard = join(dir, 'hard.csv');
    linkSync(data, hard);
    refuses(hard, /same file/);
    const linkedDir = join(dir, 'linked-dir');
    symlinkSync(dir, linkedDir);
    refuses(join(linkedDir, 'data.csv'), /same file/);
  });

  it('refuses an output inside an input directory, and an output directory holding an input', () => {
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    refuses(join(pkg, 'manifest.json'), /is inside the model .*pkg/, [{ path: pkg, what: 'the model' }]);
    refuses(dir, /holds the data file/, input, true);
    // Only an output directory replaced as a whole (a model package) is refused for holding an input.
    assert.doesNotThrow(() => checkOutputs([{ path: dir, what: '-o' }], input));
  });

  it('refuses two outputs that are the same file, and accepts distinct new files', () => {
    assert.throws(
      () =>
        checkOutputs(
          [
            { path: join(dir, 'r.csv'), what: '--out' },
            ...rejectsOutput(data, 'quarantine', join(dir, 'r.csv')),
          ],
          input,
        ),
      /--out and --rejects are the same file/,
    );
    assert.doesNotThrow(() =>
      checkOutputs(
        [{ path: join(dir, 'new', 'p.csv'), what: '-o' }, ...rejectsOutput(data, 'quarantine')],
        input,
      ),
    );
    assert.deepEqual(rejectsOutput(data, 'error'), []);
  });

  it('realPath resolves the existing part of a path and appends the rest', () => {
    assert.equal(realPath(join(dir, 'linked-dir', 'no', 'such.csv')), join(realPath(dir), 'no', 'such.csv'));
  });
});
