// Reading model packages from untrusted places: files in a package that are not regular files
// (a FIFO, a device, a link to one) are refused at once, never read until they end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError } from '../../../src/core/errors.ts';
import { canonicalJson, manifestChecksum } from '../../../src/track/package/format.ts';
import {
  modelPackageArchive,
  readModelPackage,
  readModelPackageArchive,
} from '../../../src/track/package/read.ts';
import { writeModelPackage } from '../../../src/track/package/write.ts';
import { fittedFake } from '../fake-estimator.ts';
import { INPUT_SCHEMA, OUTPUT_SCHEMA } from '../helpers.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-pkg-untrusted-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function freshDir(): Promise<string> {
  const p = join(dir, `pkg-${++n}`);
  await writeModelPackage(p, {
    model: fittedFake(),
    task: 'regression',
    target: 'y',
    inputSchema: INPUT_SCHEMA,
    outputSchema: OUTPUT_SCHEMA,
  });
  return p;
}

function mkfifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

/** Fails (rather than hanging the suite) when `p` has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still reading after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function refusedAsNotAFile(p: Promise<unknown>, file: string): Promise<void> {
  await assert.rejects(within(p, 5000), (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${(e as Error)?.stack}`);
    assert.match(e.message, /not a regular file/);
    assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
    return true;
  });
}

describe('model package: files that are not regular files', () => {
  it('refuses a manifest.json that is a FIFO instead of waiting for a writer', async (t) => {
    const p = await freshDir();
    const manifest = join(p, 'manifest.json');
    unlinkSync(manifest);
    if (!mkfifo(manifest)) return t.skip('no mkfifo');
    await refusedAsNotAFile(readModelPackage(p), manifest);
  });

  it('refuses a blob that links to an endless device instead of reading it into memory', async () => {
    const p = await freshDir();
    const sha = readdirSync(join(p, 'blobs'))[0];
    const blob = join(p, 'blobs', sha);
    unlinkSync(blob);
    symlinkSync('/dev/zero', blob);
    await refusedAsNotAFile(readModelPackage(p), blob);
  });

  it('refuses a package path that is a FIFO or a device', async (t) => {
    await refusedAsNotAFile(readModelPackage('/dev/zero'), '/dev/zero');
    const fifo = join(dir, 'model.lathe');
    if (!mkfifo(fifo)) return t.skip('no mkfifo');
    await refusedAsNotAFile(readModelPackage(fifo), fifo);
  });
});

describe('model package: typed arrays live in blobs', () => {
  it('refuses a typed array stored inline as base64, which no blob checksum or size covers', async () => {
    const p = await freshDir();
    const file = join(p, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    // One element where the model has two: no blob is listed for it, so no size is checked.
    m.model.state.weights = { $typed: 'Float64Array', length: 1, base64: 'AAAAAAAA8D8=' };
    m.checksum = { algorithm: 'sha256', value: manifestChecksum(m) };
    writeFileSync(file, JSON.stringify(m));
    await assert.rejects(readModelPackage(p), (e: unknown) => {
      assert.ok(e instanceof DataError, `expected a DataError, got ${(e as Error)?.stack}`);
      assert.match(e.message, /model\.state\.weights: .*inline.*blob/);
      assert.ok(e.message.includes(file), e.message);
      return true;
    });
  });
});

describe('model package: deeply nested JSON', () => {
  it('refuses a field nested deeper than any package has, naming it, before checking or decoding it', async () => {
    const p = await freshDir();
    const file = join(p, 'manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    // Sealed with a checksum computed without recursion (arrays have no keys to sort).
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    m.extra = '@deep@';
    const { checksum: _old, ...rest } = m;
    const canonical = canonicalJson(rest).replace('"@deep@"', deep);
    m.checksum = { algorithm: 'sha256', value: createHash('sha256').update(canonical).digest('hex') };
    writeFileSync(file, JSON.stringify(m).replace('"@deep@"', deep));
    await assert.rejects(readModelPackage(p), (e: unknown) => {
      assert.ok(e instanceof DataError, `expected a DataError, got ${(e as Error)?.stack}`);
      assert.match(e.message, /"extra" is nested more than 1000 levels deep/);
      assert.ok(e.message.includes(file), e.message);
      return true;
    });
  });
});

describe('model package: the archive form is what was checked', () => {
  it('packs the bytes it checked, even if a file changes right after the check', async () => {
    const p = await freshDir();
    const file = join(p, 'manifest.json');
    // Another valid manifest (resealed), as a writer racing the registration could put there.
    const swapped = JSON.parse(readFileSync(file, 'utf8'));
    swapped.name = 'swapped';
    swapped.checksum = { algorithm: 'sha256', value: manifestChecksum(swapped) };
    const real = fsp.readFile;
    // Every later read of manifest.json sees the swapped file; the checked bytes came first.
    let checked = false;
    const patched = async (...args: Parameters<typeof fsp.readFile>) => {
      const bytes = await real(...args);
      if (String(args[0]).endsWith('manifest.json') && checked) return Buffer.from(JSON.stringify(swapped));
      return bytes;
    };
    fsp.readFile = patched as typeof fsp.readFile;
    syncBuiltinESMExports();
    try {
      const pkgBefore = await readModelPackage(p);
      checked = true;
      const { bytes, pkg } = await modelPackageArchive(p);
      checked = false;
      const packed = readModelPackageArchive(bytes, 'packed');
      assert.equal(pkg.name, pkgBefore.name);
      assert.equal(
        packed.manifest.checksum.value,
        pkg.manifest.checksum.value,
        'the archive holds the checked manifest',
      );
    } finally {
      fsp.readFile = real;
      syncBuiltinESMExports();
    }
  });
});
