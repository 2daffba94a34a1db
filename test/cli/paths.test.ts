// The output guards of the command line: an output is never an input, whatever path names it.
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkOutputs, realPath, rejectsOutput, storedModelInput, storeInputs } from '../../src/cli/paths.ts';
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
    // A file output that is a folder is refused as such (it could never be written).
    refuses(dir, /-o .* is a folder, not a file\. Fix: give -o the path of a file/);
  });

  it('refuses an output whose folder path runs through a file, and accepts missing folders', () => {
    refuses(
      join(data, 'sub', 'p.csv'),
      /-o .*data\.csv[/\\]sub[/\\]p\.csv: .*data\.csv is a file, not a folder.*Fix:/,
    );
    refuses(join(data, 'pkg'), /is a file, not a folder/, [], true);
    assert.doesNotThrow(() => checkOutputs([{ path: join(dir, 'no', 'such', 'p.csv'), what: '-o' }], input));
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

  it('counts the tracking store as an input: its database, SQLite files and artifacts, and its own folder', () => {
    const saved = process.env.LATHE_ARTIFACTS;
    delete process.env.LATHE_ARTIFACTS;
    try {
      const st = join(dir, 'st');
      mkdirSync(join(st, 'artifacts', 'sha256', '3b'), { recursive: true });
      const db = join(st, 'lathe.db');
      writeFileSync(db, 'db');
      const pkg = join(st, 'artifacts', 'sha256', '3b', '3b07');
      writeFileSync(pkg, 'pkg');
      // Named by its database file: the database, its -wal/-shm/-journal and the artifact folder.
      const byFile = storeInputs(db);
      refuses(db, /same file as the tracking store/, byFile);
      refuses(`${db}-wal`, /same file as the tracking store/, byFile);
      refuses(pkg, /inside the tracking store's artifact folder/, byFile);
      refuses(join(st, 'artifacts', 'new.onnx'), /artifact folder/, byFile);
      assert.doesNotThrow(() => checkOutputs([{ path: join(st, 'p.csv'), what: '-o' }], byFile));
      // Named by its folder (as the default ./.lathe/): anything in the folder, existing or not.
      const byDir = storeInputs(st);
      refuses(join(st, 'p.csv'), /inside the tracking store .*Fix: choose a path for -o outside/, byDir);
      refuses(st, /same file as the tracking store/, byDir, true);
      // The default store, ./.lathe/, whether or not it exists yet.
      const env = process.env.LATHE_STORE;
      delete process.env.LATHE_STORE;
      try {
        refuses(join('.lathe', 'x.onnx'), /inside the tracking store .*\.lathe/, storeInputs());
      } finally {
        if (env !== undefined) process.env.LATHE_STORE = env;
      }
      // A registry reference's resolved package.
      refuses(
        pkg,
        /same file as the stored package of m@champion \(m\/1\)/,
        storedModelInput('m@champion', { kind: 'registry', path: pkg, name: 'm', version: 1 }),
      );
      assert.deepEqual(storedModelInput('pkg', { kind: 'path', path: 'pkg' }), []);
      assert.deepEqual(
        storeInputs('postgres://u@h/db').map((i) => i.path),
        [join(process.cwd(), '.lathe', 'artifacts')],
      );
    } finally {
      if (saved !== undefined) process.env.LATHE_ARTIFACTS = saved;
    }
  });
});
