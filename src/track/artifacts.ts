/**
 * Content-addressed artifact files. An artifact's bytes live at `<root>/sha256/<ab>/<sha256>`
 * where `<ab>` is the first two hex digits of its SHA-256. A write goes to a temporary file under
 * `<root>/tmp/` (named after the writing host and process), is flushed to disk, and is renamed into
 * place only when complete — so a reader never sees a partial file, even if the writer is killed.
 * Every read recomputes the SHA-256 and refuses bytes that do not match their address.
 *
 * Names never become paths here: the address is the hash. (Artifact names are checked by
 * {@link checkArtifactName} before they reach the database.)
 *
 * @module
 */

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DataError, LatheError, ValidationError } from '../core/errors.ts';
import { makeDirs } from '../core/make-dirs.ts';

/** What a stored blob is: its address and size. */
export interface StoredBlob {
  /** Lower-case hex SHA-256 of the bytes. */
  sha256: string;
  /** Size in bytes. */
  size: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** True when `s` is a lower-case hex SHA-256. */
export function isSha256(s: unknown): s is string {
  return typeof s === 'string' && HEX64.test(s);
}

/** SHA-256 of `bytes`, as lower-case hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A folder of content-addressed files. */
export class ArtifactStore {
  /** The absolute root folder. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Where the blob with this SHA-256 lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!isSha256(sha256)) {
      throw new ValidationError(`${JSON.stringify(sha256)} is not a SHA-256 (64 lower-case hex digits).`, {
        field: 'sha256',
      });
    }
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  /** True when a blob with this SHA-256 is stored (its content is not verified). */
  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }

  /** Stores `bytes`; resolves to their address. Storing the same bytes twice is harmless. */
  async putBytes(bytes: Uint8Array): Promise<StoredBlob> {
    return this.write(async (append) => {
      await append(bytes);
    });
  }

  /** Stores the file at `path`, streaming it (the file is never held in memory whole). */
  async putFile(path: string): Promise<StoredBlob> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(path);
    } catch (e) {
      throw new DataError('the artifact file does not exist or cannot be read.', {
        file: path,
        fix: 'check the path',
        cause: e,
      });
    }
    if (st.isDirectory()) {
      throw new DataError('the artifact is a folder; log files one by one (or pack the folder first).', {
        file: path,
      });
    }
    return this.write(async (append) => {
      for await (const chunk of createReadStream(path)) await append(chunk as Buffer);
    });
  }

  /** The bytes of a blob, after checking that they hash to `sha256`. */
  async read(sha256: string): Promise<Buffer> {
    const file = this.pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new DataError(`artifact sha256:${sha256} is missing from the artifact store.`, {
        file,
        fix: 'the store folder was moved or cleaned; point LATHE_ARTIFACTS (or --store) at the right one',
        cause: e,
      });
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new DataError(
        `artifact sha256:${sha256} is corrupt: its bytes hash to ${actual} (${bytes.length} bytes).`,
        { file, fix: 'the file was damaged or edited; log the artifact again' },
      );
    }
    return bytes;
  }

  /**
   * Copies a blob to `dest` (verifying its checksum on the way), writing a temporary file next to
   * `dest` and renaming it into place.
   */
  async copyTo(sha256: string, dest: string): Promise<void> {
    const bytes = await this.read(sha256);
    await makeDirs(dirname(dest));
    const tmp = `${dest}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    const fh = await open(tmp, 'wx');
    try {
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, dest);
    } catch (e) {
      await rm(tmp, { force: true }); // no partial copy left beside dest
      throw e;
    }
  }

  /**
   * Removes temporary files left by writers that died: those of this host whose process is gone,
   * and any older than a day. Best effort; never throws.
   */
  async cleanTemp(now = Date.now()): Promise<number> {
    const dir = join(this.root, 'tmp');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    const host = safeHost();
    let removed = 0;
    for (const name of names) {
      const m = /^(.+)-(\d+)-[0-9a-f]+\.part$/.exec(name);
      const path = join(dir, name);
      try {
        const dead = m !== null && m[1] === host && !processAlive(Number(m[2]));
        const old = now - (await stat(path)).mtimeMs > 86_400_000;
        if (dead || old) {
          await rm(path, { force: true });
          removed++;
        }
      } catch {
        // Another cleaner got there first.
      }
    }
    return removed;
  }

  /**
   * Writes through a temporary file, hashing as it goes, then renames to the content address. A
   * file-system failure (a full disk, a folder that cannot be made or written) is a `DataError`
   * naming the artifact folder.
   */
  private async write(
    produce: (append: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
  ): Promise<StoredBlob> {
    try {
      return await this.writeBlob(produce);
    } catch (e) {
      if (e instanceof LatheError || typeof (e as NodeJS.ErrnoException)?.code !== 'string') throw e;
      throw new DataError(`cannot write to the artifact store: ${(e as Error).message.split('\n')[0]}`, {
        file: this.root,
        fix: 'make room on its disk and check the folder is writable, or point LATHE_ARTIFACTS at another folder (by default the artifacts folder beside the store)',
        cause: e,
      });
    }
  }

  private async writeBlob(
    produce: (append: (chunk: Uint8Array) => Promise<void>) => Promise<void>,
  ): Promise<StoredBlob> {
    const tmpDir = join(this.root, 'tmp');
    await makeDirs(tmpDir);
    const tmp = join(tmpDir, `${safeHost()}-${process.pid}-${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'wx');
    let renamed = false;
    try {
      try {
        await produce(async (chunk) => {
          hash.update(chunk);
          size += chunk.byteLength;
          let off = 0;
          while (off < chunk.byteLength) {
            const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
            off += bytesWritten;
          }
        });
        await fh.sync();
      } finally {
        await fh.close();
      }
      const sha256 = hash.digest('hex');
      const final = this.pathOf(sha256);
      await makeDirs(dirname(final));
      // Same content, same name: replacing an existing copy is atomic and harmless.
      await rename(tmp, final);
      renamed = true;
      await syncDir(dirname(final));
      return { sha256, size };
    } finally {
      if (!renamed) await rm(tmp, { force: true });
    }
  }
}

/** The host name as used in temporary file names (no path separators or dashes ambiguity). */
function safeHost(): string {
  return hostname().replace(/[^A-Za-z0-9._]/g, '_');
}

/** True when a process with this id exists on this machine (EPERM means it exists but is not ours). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Not supported on every platform; the rename is still atomic.
  }
}
