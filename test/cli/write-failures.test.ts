// Failure modes of the commands that write: an output that cannot be written is exit 2 naming it,
// and nothing is lost — no truncated file under the final name, no previous file replaced.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliResult, ROOT, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-write-fail-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const customers = join(ROOT, 'examples/customers.csv');

/** Temporary files a writer left in `folder` (every writer names them `.<name>.….tmp…`). */
const temps = (folder: string) => readdirSync(folder).filter((f) => f.startsWith('.') && /\.tmp/.test(f));

/** `lathe <args>` with the file-size limit (`ulimit -f`, 512-byte blocks) set to `blocks`. */
const runLimited = (blocks: number, args: string[], cwd: string): Promise<CliResult> =>
  runCli(args, { cwd, fileSizeBlocks: blocks });

before(async () => {
  const t = await runCli(
    [
      'train',
      customers,
      '--target',
      'churned',
      '--model',
      'logistic',
      '--no-track',
      '--out',
      'm1',
      '--quiet',
    ],
    { cwd: dir },
  );
  assert.equal(t.code, 0, t.stderr);
});

describe('a write that fails part-way (a full disk, a file-size limit)', () => {
  it('predict -o: exit 2 naming the file, the previous file intact, no temporary file — not a truncated file and exit 0', async () => {
    // 64 blocks of 512 bytes: the 2 000 predictions with probabilities (~120 KB) do not fit. The
    // kernel writes what fits and then refuses; a writer that does not check how much was written
    // renames a truncated file into place.
    writeFileSync(join(dir, 'p.csv'), 'old\n');
    const r = await runLimited(
      64,
      ['predict', 'm1', customers, '--proba', '--keep', 'customer_id', '-o', 'p.csv', '--quiet'],
      dir,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: p\.csv: cannot write the file: EFBIG/m);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(readFileSync(join(dir, 'p.csv'), 'utf8'), 'old\n');
    assert.deepEqual(temps(dir), []);
  });
});

describe('a tracking store on a full disk (or past a file-size limit)', () => {
  it('train --store: exit 2 naming the store file and the fix, not an internal error; no package written', async () => {
    const r = await runLimited(
      100,
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--out',
        'lpk',
        '--store',
        'lst/lathe.db',
      ],
      dir,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: .*lst\/lathe\.db: cannot write the tracking store .*Fix: .*room/m);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(readdirSync(dir).includes('lpk'), false);
  });
});

describe('an output path that is a symbolic link', () => {
  it("predict -o, profile --out and export -o write the link's target; the link stays a link", async () => {
    const out = join(dir, 'links');
    mkdirSync(out);
    for (const f of ['p.csv', 'r.html', 'm.onnx']) {
      writeFileSync(join(out, `target-${f}`), 'old\n');
      symlinkSync(`target-${f}`, join(out, f));
    }
    const p = await runCli(['predict', '../m1', customers, '-o', 'p.csv', '--quiet'], { cwd: out });
    const r = await runCli(['profile', customers, '--out', 'r.html', '--quiet'], { cwd: out });
    const e = await runCli(['export', '../m1', '--format', 'onnx', '-o', 'm.onnx', '--quiet'], { cwd: out });
    for (const x of [p, r, e]) assert.equal(x.code, 0, x.stderr);
    for (const f of ['p.csv', 'r.html', 'm.onnx']) {
      assert.ok(lstatSync(join(out, f)).isSymbolicLink(), `${f} is still a link`);
      assert.equal(readlinkSync(join(out, f)), `target-${f}`);
      assert.notEqual(readFileSync(join(out, `target-${f}`), 'utf8'), 'old\n', `target-${f} was written`);
    }
    assert.match(readFileSync(join(out, 'target-p.csv'), 'utf8'), /^prediction\n/);
    assert.deepEqual(temps(out), []);
  });

  it('train --out a link to a package folder --force replaces the package in the target; the link stays', async () => {
    const out = join(dir, 'pkg-link');
    mkdirSync(out);
    const t0 = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--no-track',
        '--out',
        'v1',
        '--quiet',
      ],
      { cwd: out },
    );
    assert.equal(t0.code, 0, t0.stderr);
    symlinkSync('v1', join(out, 'current'));
    const before = readFileSync(join(out, 'v1', 'manifest.json'), 'utf8');
    const t = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'gbdt',
        '--no-track',
        '--out',
        'current',
        '--force',
        '--quiet',
      ],
      { cwd: out },
    );
    assert.equal(t.code, 0, t.stderr);
    assert.ok(lstatSync(join(out, 'current')).isSymbolicLink(), 'current is still a link');
    const now = readFileSync(join(out, 'v1', 'manifest.json'), 'utf8');
    assert.notEqual(now, before);
    assert.match(now, /HistGradientBoosting/);
    assert.deepEqual(readdirSync(out).sort(), ['current', 'v1']);
  });

  it('a link to nothing: exit 2 before any work, naming it; the link is left alone', async () => {
    const out = join(dir, 'dangling');
    mkdirSync(out);
    for (const f of ['p.csv', 'r.html', 'm.onnx']) symlinkSync(`gone/${f}`, join(out, f));
    const runs = [
      await runCli(['predict', '../m1', customers, '-o', 'p.csv'], { cwd: out }),
      await runCli(['profile', customers, '--out', 'r.html'], { cwd: out }),
      await runCli(['export', '../m1', '--format', 'onnx', '-o', 'm.onnx'], { cwd: out }),
    ];
    for (const [i, x] of runs.entries()) {
      const f = ['p.csv', 'r.html', 'm.onnx'][i];
      assert.equal(x.code, 2, x.stderr);
      assert.match(
        x.stderr,
        new RegExp(
          `^error: (-o|--out) ${f.replace('.', '\\.')} is a symbolic link to a missing target.*Fix:`,
        ),
      );
      assert.equal(x.stderr.trim().split('\n').length, 1, `one paragraph, before any work: ${x.stderr}`);
      assert.equal(readlinkSync(join(out, f)), `gone/${f}`);
    }
  });
});

describe('an output path that is a folder, or a file that may not be written', () => {
  it('predict -o, profile --out / --rejects, export -o a folder: exit 2 before any work, naming it', async () => {
    const out = join(dir, 'folders');
    mkdirSync(out);
    for (const f of ['p.csv', 'r.html', 'm.onnx', 'rj.csv']) mkdirSync(join(out, f));
    const runs: [string, CliResult][] = [
      ['-o p.csv', await runCli(['predict', '../m1', customers, '-o', 'p.csv'], { cwd: out })],
      ['--out r.html', await runCli(['profile', customers, '--out', 'r.html'], { cwd: out })],
      ['-o m.onnx', await runCli(['export', '../m1', '--format', 'onnx', '-o', 'm.onnx'], { cwd: out })],
      [
        '--rejects rj.csv',
        await runCli(['profile', customers, '--on-bad-rows', 'quarantine', '--rejects', 'rj.csv'], {
          cwd: out,
        }),
      ],
    ];
    for (const [what, x] of runs) {
      assert.equal(x.code, 2, x.stderr);
      assert.match(x.stderr, new RegExp(`^error: ${what.replace('.', '\\.')} is a folder.*Fix:`), what);
      assert.doesNotMatch(x.stderr, /EISDIR|internal error/);
      assert.equal(x.stderr.trim().split('\n').length, 1, `one paragraph, before any work: ${x.stderr}`);
    }
    assert.deepEqual(readdirSync(out).sort(), ['m.onnx', 'p.csv', 'r.html', 'rj.csv']);
  });

  it('predict -o a named pipe, profile --out a link to one: exit 2 before any work; the pipe is not replaced by a plain file', async () => {
    // A device (through a link, /dev/full itself as root) would be replaced the same way by the rename.
    const out = join(dir, 'pipes');
    mkdirSync(out);
    execFileSync('mkfifo', [join(out, 'p.csv')]);
    symlinkSync('p.csv', join(out, 'r.html'));
    const p = await runCli(['predict', '../m1', customers, '-o', 'p.csv'], { cwd: out });
    const r = await runCli(['profile', customers, '--out', 'r.html'], { cwd: out });
    for (const [what, x] of [
      ['-o p\\.csv', p],
      ['--out r\\.html', r],
    ] as const) {
      assert.equal(x.code, 2, x.stderr);
      assert.match(
        x.stderr,
        new RegExp(`^error: ${what} is not a regular file but a device, a pipe or a socket.*Fix:`),
      );
      assert.equal(x.stderr.trim().split('\n').length, 1, `one paragraph, before any work: ${x.stderr}`);
    }
    assert.ok(lstatSync(join(out, 'p.csv')).isFIFO(), 'p.csv is still a pipe');
    assert.ok(lstatSync(join(out, 'r.html')).isSymbolicLink(), 'r.html is still a link');
    assert.deepEqual(temps(out), []);
  });

  it('predict -o a file without write permission: exit 2 before any work, the file intact (its folder is writable)', async (t) => {
    // Root writes anything, so as root the CLI runs as nobody (who must be able to read the checkout).
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if ('uid' in asNobody && (await runCli(['--version'], asNobody)).code !== 0) {
      t.skip('uid 65534 cannot run the CLI from this checkout');
      return;
    }
    const out = join(dir, 'read-only');
    mkdirSync(out);
    chmodSync(dir, 0o755);
    chmodSync(out, 0o777); // anyone may create and rename files here...
    writeFileSync(join(out, 'p.csv'), 'keep\n');
    chmodSync(join(out, 'p.csv'), 0o444); // ...but p.csv says: do not write me
    const r = await runCli(['predict', join(dir, 'm1'), customers, '-o', 'p.csv'], { ...asNobody, cwd: out });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: -o p\.csv is read-only.*Fix:/);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one paragraph, before any work: ${r.stderr}`);
    assert.equal(readFileSync(join(out, 'p.csv'), 'utf8'), 'keep\n');
    assert.deepEqual(temps(out), []);
  });
});

describe('replacing an existing file', () => {
  it('keeps its permissions: a private (0600) predictions file (CSV, Parquet), report or ONNX file stays private', async () => {
    const out = join(dir, 'modes');
    mkdirSync(out);
    for (const f of ['p.csv', 'r.html', 'm.onnx', 'p.parquet']) {
      writeFileSync(join(out, f), 'old\n');
      chmodSync(join(out, f), 0o600);
    }
    const runs = [
      await runCli(['predict', '../m1', customers, '-o', 'p.csv', '--quiet'], { cwd: out }),
      await runCli(['predict', '../m1', customers, '-o', 'p.parquet', '--quiet'], { cwd: out }),
      await runCli(['profile', customers, '--out', 'r.html', '--quiet'], { cwd: out }),
      await runCli(['export', '../m1', '--format', 'onnx', '-o', 'm.onnx', '--quiet'], { cwd: out }),
    ];
    for (const x of runs) assert.equal(x.code, 0, x.stderr);
    for (const f of ['p.csv', 'r.html', 'm.onnx', 'p.parquet']) {
      assert.notEqual(readFileSync(join(out, f), 'utf8'), 'old\n', `${f} was written`);
      assert.equal((statSync(join(out, f)).mode & 0o777).toString(8), '600', f);
    }
  });
});

describe('an artifact store that cannot be written', () => {
  it('train (which stores the package as an artifact): exit 2 naming the artifact folder and the fix, not an internal error', async () => {
    const out = join(dir, 'artifacts');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'not a folder\n');
    const r = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--out',
        'm',
        '--store',
        'st/lathe.db',
      ],
      { cwd: out, env: { LATHE_ARTIFACTS: join(out, 'notes.txt', 'art') } },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: .*notes\.txt\/art: cannot write to the artifact store: ENOTDIR.*Fix: /m);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'not a folder\n');
  });
});

describe('lathe evaluate --on-bad-rows quarantine', () => {
  it('a rejects path that is a folder: exit 2 before any work, as predict and profile do (not EISDIR at the end)', async () => {
    const out = join(dir, 'evaluate');
    mkdirSync(out);
    writeFileSync(join(out, 'd.csv'), readFileSync(customers, 'utf8'));
    mkdirSync(join(out, 'd.csv.rejects.csv'));
    const r = await runCli(
      ['evaluate', '../m1', 'd.csv', '--target', 'churned', '--on-bad-rows', 'quarantine'],
      {
        cwd: out,
      },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: the rejects file d\.csv\.rejects\.csv is a folder, not a file.*Fix:/);
    assert.doesNotMatch(r.stderr, /EISDIR/);
  });
});

describe('train --out an archive path that is not a model package', () => {
  it('is refused, the file intact, with a fix that does not call the archive a directory', async () => {
    const out = join(dir, 'archive');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.lathe'), 'my notes\n');
    const r = await runCli(
      [
        'train',
        customers,
        '--target',
        'churned',
        '--model',
        'logistic',
        '--no-track',
        '--out',
        'notes.lathe',
        '--force',
      ],
      { cwd: out },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: notes\.lathe exists and is not a Lathe model package; refusing to replace it\. Fix: choose another --out path\.$/m,
    );
    assert.equal(readFileSync(join(out, 'notes.lathe'), 'utf8'), 'my notes\n');
  });
});
