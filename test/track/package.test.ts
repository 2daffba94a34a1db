// Model packages: round trips in both forms, determinism, and a clear error for every kind of damage.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError, ValidationError } from '../../src/core/errors.ts';
import { estimatorFromJSON } from '../../src/core/estimator.ts';
import { manifestChecksum } from '../../src/track/package/format.ts';
import { modelPackageArchive, readModelPackage } from '../../src/track/package/read.ts';
import { writeTar } from '../../src/track/package/tar.ts';
import { type ModelPackageInput, writeModelPackage } from '../../src/track/package/write.ts';
import { loadModelPackage } from '../../src/track/registry.ts';
import { type FakeLinear, fittedFake } from './fake-estimator.ts';
import { INPUT_SCHEMA, OUTPUT_SCHEMA } from './helpers.ts';

const X = [
  [0.5, -2],
  [1e-300, 7],
  [3, 3],
];
const CREATED = new Date('2024-05-01T12:00:00.000Z');

function input(over: Partial<ModelPackageInput> = {}): ModelPackageInput {
  return {
    model: fittedFake(),
    task: 'regression',
    target: 'y',
    inputSchema: INPUT_SCHEMA,
    outputSchema: OUTPUT_SCHEMA,
    metrics: { r2: 0.75, rmse: 1.5, undefinedish: Number.NaN },
    lineage: { runId: 'abc', dataFingerprint: 'sha256:00ff', seed: 3 },
    name: 'fake',
    description: 'a test model',
    extra: { profile: { means: new Float64Array([1, 2]) } },
    ...over,
  };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-pkg-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Expects `p` to reject with a DataError whose message matches `re` and names `file`. */
async function rejectsData(p: Promise<unknown>, re: RegExp, file?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${(e as Error)?.stack}`);
    assert.match(e.message, re);
    if (file !== undefined) assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
    return true;
  });
}

/** Rewrites manifest.json with `edit` applied and (optionally) a recomputed checksum. */
function editManifest(pkgDir: string, edit: (m: Record<string, unknown>) => void, reseal: boolean): void {
  const path = join(pkgDir, 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  edit(m);
  if (reseal) m.checksum = { algorithm: 'sha256', value: manifestChecksum(m) };
  writeFileSync(path, JSON.stringify(m, null, 2));
}

let n = 0;
async function freshDir(over: Partial<ModelPackageInput> = {}): Promise<string> {
  const p = join(dir, `pkg-${++n}`);
  await writeModelPackage(p, input(over), { createdAt: CREATED });
  return p;
}

describe('model package: round trip', () => {
  for (const form of ['directory', 'archive'] as const) {
    it(`restores the estimator bit for bit (${form})`, async () => {
      const original = fittedFake();
      const path = join(dir, form === 'archive' ? 'rt.lathe' : 'rt-dir');
      const written = await writeModelPackage(path, input({ model: original }), { createdAt: CREATED });
      assert.equal(written.form, form);
      const pkg = await readModelPackage(path);
      assert.equal(pkg.form, form);
      assert.equal(pkg.task, 'regression');
      assert.equal(pkg.target, 'y');
      assert.equal(pkg.name, 'fake');
      assert.equal(pkg.createdAt, CREATED.toISOString());
      assert.deepEqual(pkg.inputSchema, INPUT_SCHEMA);
      assert.deepEqual(pkg.outputSchema, OUTPUT_SCHEMA);
      assert.equal(pkg.metrics.r2, 0.75);
      assert.ok(Number.isNaN(pkg.metrics.undefinedish));
      assert.deepEqual(pkg.lineage, { runId: 'abc', dataFingerprint: 'sha256:00ff', seed: 3 });
      assert.deepEqual(
        (pkg.extra as { profile: { means: Float64Array } }).profile.means,
        new Float64Array([1, 2]),
      );
      assert.equal(pkg.manifest.formatVersion, 1);
      assert.equal(pkg.manifest.createdBy.node, process.version);

      const restored = estimatorFromJSON<FakeLinear>(pkg.model);
      assert.ok(restored.weights_ instanceof Float64Array);
      assert.ok(restored.counts_ instanceof Int32Array);
      assert.deepEqual(restored.getParams(), original.getParams());
      const a = original.predict(X);
      const b = restored.predict(X);
      assert.deepEqual(Buffer.from(b.buffer), Buffer.from(a.buffer));
    });
  }

  it('lays the directory out as manifest.json plus one blob per distinct array, named by SHA-256', async () => {
    const p = await freshDir();
    assert.deepEqual(readdirSync(p).sort(), ['blobs', 'manifest.json']);
    const blobs = readdirSync(join(p, 'blobs')).sort();
    const manifest = JSON.parse(readFileSync(join(p, 'manifest.json'), 'utf8'));
    assert.deepEqual(blobs, Object.keys(manifest.blobs).sort());
    // weights, counts, the empty Float32Array and the profile means.
    assert.equal(blobs.length, 4);
    assert.equal(manifest.model.state.weights.$typed, 'Float64Array');
    assert.match(manifest.model.state.weights.blob, /^[0-9a-f]{64}$/);
  });

  it('writes the same archive bytes for the same model, whichever form it was packed from', async () => {
    const a = join(dir, 'det-a.lathe');
    const b = join(dir, 'det-b.lathe');
    await writeModelPackage(a, input(), { createdAt: CREATED });
    await writeModelPackage(b, input(), { createdAt: CREATED });
    assert.deepEqual(readFileSync(a), readFileSync(b));
    const fromDir = await modelPackageArchive(await freshDir());
    assert.deepEqual(fromDir.bytes, readFileSync(a));
  });

  it('writes an archive that standard tar can list', { skip: !hasTar() && 'no tar on PATH' }, async () => {
    const a = join(dir, 'listed.lathe');
    await writeModelPackage(a, input(), { createdAt: CREATED });
    const r = spawnSync('tar', ['tf', a], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const names = r.stdout.trim().split('\n');
    assert.equal(names[0], 'manifest.json');
    assert.equal(names.length, 5);
    assert.ok(names.slice(1).every((x) => /^blobs\/[0-9a-f]{64}$/.test(x)));
  });

  it('refuses a destination that is a symbolic link to nothing, in either form, even with overwrite', async () => {
    for (const name of ['dangling-dir', 'dangling.lathe']) {
      const p = join(dir, name);
      symlinkSync(join(dir, `${name}-target-gone`), p);
      for (const options of [{}, { overwrite: true }]) {
        await assert.rejects(
          writeModelPackage(p, input(), options),
          (e: unknown) =>
            e instanceof ValidationError &&
            /is a symbolic link to a missing target.*Fix: remove the link, make its target/s.test(
              (e as Error).message,
            ),
        );
      }
      assert.equal(lstatSync(p).isSymbolicLink(), true, 'the link is left as it was');
    }
  });

  it('refuses to replace an existing package unless asked, and replaces it atomically', async () => {
    for (const name of ['ow-dir', 'ow.lathe']) {
      const p = join(dir, name);
      await writeModelPackage(p, input(), { createdAt: CREATED });
      await assert.rejects(writeModelPackage(p, input()), /already exists.*overwrite: true/);
      await writeModelPackage(p, input({ metrics: { r2: 0.9 } }), { overwrite: true });
      assert.equal((await readModelPackage(p)).metrics.r2, 0.9);
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-')),
      [],
      'no temporary files are left behind',
    );
  });

  it('checks the input before writing anything', async () => {
    const p = join(dir, 'never');
    const unfitted = { toJSON: () => ({ type: 'TestFakeLinear', version: 1, params: {}, state: null }) };
    await assert.rejects(writeModelPackage(p, input({ model: unfitted })), /TestFakeLinear\) is not fitted/);
    await assert.rejects(
      writeModelPackage(p, input({ model: { nope: 1 } as never })),
      /model is not a serialised estimator/,
    );
    await assert.rejects(
      writeModelPackage(p, input({ task: 'ranking' as never })),
      /task must be one of binary/,
    );
    await assert.rejects(
      writeModelPackage(
        p,
        input({ inputSchema: { version: 1, columns: [{ name: 'a', type: 'weird' }] } as never }),
      ),
      /inputSchema.columns\[0\].type must be one of/,
    );
    await assert.rejects(
      writeModelPackage(p, input({ metrics: { auc: '0.9' as never } })),
      /metric 'auc' must be a number/,
    );
    await assert.rejects(writeModelPackage(p, input({ extra: new Map() as never })), ValidationError);
    assert.equal(existsSync(p), false);
  });

  it('turns a file-system failure into a DataError naming the destination, and leaves nothing behind', async () => {
    // A path through a file fails with EEXIST/ENOTDIR (a read-only folder with EACCES): these used
    // to escape as raw Node errors, which the CLI reports as an internal error (exit 1).
    const file = join(dir, 'a-file.txt');
    writeFileSync(file, 'x');
    for (const p of [join(file, 'pkg'), join(file, 'sub', 'pkg.lathe')]) {
      await assert.rejects(
        writeModelPackage(p, input()),
        (e: unknown) =>
          e instanceof DataError &&
          e.file === p &&
          /cannot write the model package: E(EXIST|NOTDIR).*Fix: check that the folder is writable/.test(
            e.message,
          ),
      );
    }
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });
});

describe('model package: damage is detected and named', () => {
  it('a hand-edited manifest', async () => {
    const p = await freshDir();
    editManifest(p, (m) => ((m.model as { params: { scale: number } }).params.scale = 2), false);
    await rejectsData(
      readModelPackage(p),
      /manifest.json was edited or is corrupt/,
      join(p, 'manifest.json'),
    );
  });

  it('a truncated manifest', async () => {
    const p = await freshDir();
    const path = join(p, 'manifest.json');
    const text = readFileSync(path);
    writeFileSync(path, text.subarray(0, text.length >> 1));
    await rejectsData(readModelPackage(p), /not valid JSON.*truncated or damaged/, path);
  });

  it('a blob with a changed byte, a truncated blob, a missing blob', async () => {
    const p = await freshDir();
    const manifest = JSON.parse(readFileSync(join(p, 'manifest.json'), 'utf8'));
    const sha = manifest.model.state.weights.blob;
    const blob = join(p, 'blobs', sha);
    const bytes = readFileSync(blob);
    bytes[3] ^= 1;
    writeFileSync(blob, bytes);
    await rejectsData(readModelPackage(p), /blob is corrupt: its bytes hash to/, blob);
    writeFileSync(blob, bytes.subarray(0, 5));
    await rejectsData(readModelPackage(p), /blob is 5 bytes, but the manifest says 16 \(truncated\)/, blob);
    unlinkSync(blob);
    await rejectsData(readModelPackage(p), /a blob listed in the manifest is missing/, blob);
  });

  it('a package from a newer Lathe, or not a package at all', async () => {
    const p = await freshDir();
    editManifest(p, (m) => (m.formatVersion = 2), true);
    await rejectsData(
      readModelPackage(p),
      /format version 2; this Lathe reads up to version 1.*upgrade Lathe/,
    );
    editManifest(p, (m) => (m.format = 'something-else'), true);
    await rejectsData(readModelPackage(p), /not a Lathe model package: "format" is "something-else"/);
    const empty = join(dir, 'empty-dir');
    rmSync(empty, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', empty]);
    await rejectsData(readModelPackage(empty), /the folder has no manifest.json/, empty);
    await rejectsData(readModelPackage(join(dir, 'does-not-exist')), /the path does not exist/);
    const junk = join(dir, 'junk.lathe');
    writeFileSync(junk, Buffer.alloc(2000, 7));
    await rejectsData(readModelPackage(junk), /not a model package/, junk);
    writeFileSync(junk, 'short');
    await rejectsData(readModelPackage(junk), /only 5 bytes/, junk);
  });

  it('a manifest whose checksum was recomputed after planting bad data', async () => {
    const p = await freshDir();
    editManifest(
      p,
      (m) => ((m.model as { state: { weights: { blob: string } } }).state.weights.blob = 'f'.repeat(64)),
      true,
    );
    await rejectsData(readModelPackage(p), /refers to blob "f{64}", which "blobs" does not list/);
    const q = await freshDir();
    editManifest(
      q,
      (m) => {
        (m.model as { params: Record<string, unknown> }).params = JSON.parse(
          '{"__proto__": {"polluted": 1}}',
        );
      },
      true,
    );
    await rejectsData(readModelPackage(q), /forbidden key '__proto__'/);
    assert.equal(({} as { polluted?: number }).polluted, undefined);
    const r = await freshDir();
    editManifest(
      r,
      (m) => ((m.model as { state: { weights: { $typed: string } } }).state.weights.$typed = 'Function'),
      true,
    );
    await rejectsData(readModelPackage(r), /unknown typed array type "Function"/);
    const s = await freshDir();
    editManifest(s, (m) => ((m.inputSchema as { columns: unknown[] }).columns = [{ name: 'x0' }]), true);
    await rejectsData(readModelPackage(s), /inputSchema.columns\[0\].type must be one of/);
  });

  it('an archive cut short anywhere', async () => {
    const a = join(dir, 'cut.lathe');
    await writeModelPackage(a, input(), { createdAt: CREATED });
    const bytes = readFileSync(a);
    const cut = join(dir, 'cut-short.lathe');
    const lengths = new Set<number>([
      0,
      1,
      100,
      511,
      512,
      513,
      bytes.length - 1,
      bytes.length - 512,
      bytes.length - 1024,
    ]);
    for (let k = 600; k < bytes.length; k += 487) lengths.add(k);
    for (const len of lengths) {
      writeFileSync(cut, bytes.subarray(0, len));
      await rejectsData(readModelPackage(cut), /truncated|not a model package|only \d+ bytes/, cut);
    }
  });

  it('an archive with a flipped byte in a header, the manifest or a blob', async () => {
    const a = join(dir, 'flip.lathe');
    await writeModelPackage(a, input(), { createdAt: CREATED });
    const bytes = readFileSync(a);
    const bad = join(dir, 'flipped.lathe');
    const flip = (at: number) => {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x20;
      writeFileSync(bad, copy);
    };
    flip(10); // inside the first header's name field
    await rejectsData(readModelPackage(bad), /header of entry 1 .* fails its checksum/, bad);
    const manifestText = bytes.subarray(512, 1024).toString('latin1');
    flip(512 + manifestText.indexOf('"scale"') + 2); // a key of the manifest → it no longer matches its checksum
    await rejectsData(
      readModelPackage(bad),
      /manifest.json was edited or is corrupt/,
      `${bad}:manifest.json`,
    );
    // The first blob's header follows the manifest's header (at 0) and data blocks.
    const manifestLen = Number.parseInt(bytes.subarray(124, 135).toString('latin1'), 8);
    assert.ok(manifestLen > 0);
    const firstBlobHeader = 512 + Math.ceil(manifestLen / 512) * 512;
    flip(firstBlobHeader + 512);
    await rejectsData(readModelPackage(bad), /blob is corrupt|blob is \d+ bytes/, `${bad}:blobs/`);
  });

  it('an archive holding a link, a path outside the package, or a duplicate entry', async () => {
    const manifest = readFileSync(join(await freshDir(), 'manifest.json'));
    const evil = join(dir, 'evil.lathe');
    writeFileSync(evil, writeTar([{ name: '../../etc/cron.d/x', data: Buffer.from('boom') }]));
    await rejectsData(readModelPackage(evil), /unexpected entry '..\/..\/etc\/cron.d\/x'/, evil);
    writeFileSync(
      evil,
      writeTar([
        { name: 'manifest.json', data: manifest },
        { name: 'manifest.json', data: manifest },
      ]),
    );
    await rejectsData(readModelPackage(evil), /two entries named 'manifest.json'/, evil);
    const link = writeTar([{ name: 'manifest.json', data: manifest }]);
    link[156] = 0x32; // '2': symbolic link
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : link[i];
    link.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    writeFileSync(evil, link);
    await rejectsData(readModelPackage(evil), /is not a regular file \(type '2'\)/, evil);
  });

  it('refuses to rebuild an estimator type this Lathe does not know', async () => {
    const p = await freshDir({
      model: { type: 'NotRegistered', version: 1, params: {}, state: { featureNamesIn: ['a'] } },
    });
    const pkg = await readModelPackage(p);
    assert.throws(() => estimatorFromJSON(pkg.model), /Unknown estimator type 'NotRegistered'/);
    // Loading it names the package: the estimator's own message knows no file.
    await assert.rejects(loadModelPackage(p), (e: Error) => {
      assert.ok(
        e.message.startsWith(
          `the model package ${p} cannot be loaded: Unknown estimator type 'NotRegistered'.`,
        ),
        e.message,
      );
      return true;
    });
  });
});

function hasTar(): boolean {
  return spawnSync('tar', ['--version']).status === 0;
}
