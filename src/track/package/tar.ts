/**
 * The single-file form of a model package: a POSIX ustar archive holding exactly the files of the
 * directory form (`manifest.json`, then `blobs/<sha256>` in name order). Standard tools can list
 * and extract it (`tar tf model.lathe`). This module writes and reads it in memory — reading never
 * writes anything to disk, and accepts only regular-file entries with the expected names, so an
 * archive cannot smuggle paths, links or devices.
 *
 * @module
 */

import { DataError } from '../../core/errors.ts';

const BLOCK = 512;

/** One file of an archive. */
export interface TarEntry {
  name: string;
  data: Uint8Array;
}

/** True when `bytes` start like a ustar archive (magic "ustar" at offset 257). */
export function looksLikeTar(bytes: Uint8Array): boolean {
  return (
    bytes.length >= BLOCK &&
    bytes[257] === 0x75 &&
    bytes[258] === 0x73 &&
    bytes[259] === 0x74 &&
    bytes[260] === 0x61 &&
    bytes[261] === 0x72
  );
}

/**
 * Writes a ustar archive of `entries` (regular files, mode 0644, owner 0, modification time
 * `mtimeSeconds`), ending with the two zero blocks that mark its end. Same input, same bytes.
 */
export function writeTar(entries: readonly TarEntry[], mtimeSeconds = 0): Buffer {
  let total = 2 * BLOCK;
  for (const e of entries) total += BLOCK + Math.ceil(e.data.byteLength / BLOCK) * BLOCK;
  const out = Buffer.alloc(total);
  let off = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    if (name.length > 100) throw new Error(`tar: entry name longer than 100 bytes: ${e.name}`);
    const h = out.subarray(off, off + BLOCK);
    name.copy(h, 0);
    octal(h, 100, 8, 0o644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, e.data.byteLength);
    octal(h, 136, 12, Math.max(0, Math.floor(mtimeSeconds)));
    h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
    h[156] = 0x30; // '0': regular file
    h.write('ustar\u000000', 257, 'latin1');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += h[i];
    octal(h, 148, 7, sum);
    h[155] = 0x20;
    off += BLOCK;
    out.set(e.data, off);
    off += Math.ceil(e.data.byteLength / BLOCK) * BLOCK;
  }
  return out;
}

/**
 * Reads a ustar archive written by {@link writeTar}. Throws a {@link DataError} naming `file` when
 * a header checksum is wrong, an entry is not a regular file, a size runs past the end (a
 * truncated file), a name repeats, or the end-of-archive marker is missing.
 */
export function readTar(bytes: Uint8Array, file: string): TarEntry[] {
  const fix = 'the package file is damaged or incomplete; copy it again or re-export the model';
  const entries: TarEntry[] = [];
  const seen = new Set<string>();
  let off = 0;
  for (;;) {
    if (off + BLOCK > bytes.length) {
      throw new DataError(
        `truncated model archive: it ends at byte ${bytes.length} without the end-of-archive marker.`,
        {
          file,
          fix,
        },
      );
    }
    const h = bytes.subarray(off, off + BLOCK);
    if (isZero(h)) {
      if (off + 2 * BLOCK > bytes.length || !isZero(bytes.subarray(off + BLOCK, off + 2 * BLOCK))) {
        throw new DataError('truncated model archive: the end-of-archive marker is incomplete.', {
          file,
          fix,
        });
      }
      return entries;
    }
    const name = cString(h, 0, 100);
    const prefix = cString(h, 345, 155);
    const full = prefix ? `${prefix}/${name}` : name;
    const stored = parseOctal(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (stored !== sum) {
      throw new DataError(
        `corrupt model archive: the header of entry ${entries.length + 1} at byte ${off} fails its checksum.`,
        {
          file,
          fix,
        },
      );
    }
    const type = h[156];
    if (type !== 0x30 && type !== 0) {
      throw new DataError(
        `model archive entry '${full}' is not a regular file (type '${String.fromCharCode(type)}'); packages hold only regular files.`,
        { file, fix: 'create the archive with Lathe (writeModelPackage or lathe train --out model.lathe)' },
      );
    }
    const size = parseOctal(h, 124, 12);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new DataError(`corrupt model archive: entry '${full}' has an unreadable size.`, { file, fix });
    }
    off += BLOCK;
    if (off + size > bytes.length) {
      throw new DataError(
        `truncated model archive: entry '${full}' declares ${size} bytes but only ${Math.max(0, bytes.length - off)} remain.`,
        { file, fix },
      );
    }
    if (seen.has(full)) throw new DataError(`model archive has two entries named '${full}'.`, { file, fix });
    seen.add(full);
    entries.push({ name: full, data: bytes.subarray(off, off + size) });
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (off + padded > bytes.length) {
      throw new DataError(`truncated model archive: the padding of entry '${full}' is cut short.`, {
        file,
        fix,
      });
    }
    if (!isZero(bytes.subarray(off + size, off + padded))) {
      throw new DataError(`corrupt model archive: the padding after entry '${full}' is not zero.`, {
        file,
        fix,
      });
    }
    off += padded;
  }
}

function octal(h: Uint8Array, at: number, width: number, value: number): void {
  const s = value.toString(8).padStart(width - 1, '0');
  for (let i = 0; i < width - 1; i++) h[at + i] = s.charCodeAt(i);
  h[at + width - 1] = 0;
}

function parseOctal(h: Uint8Array, at: number, width: number): number {
  let s = '';
  for (let i = at; i < at + width; i++) {
    const c = h[i];
    if (c === 0 || c === 0x20) {
      if (s) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return Number.NaN;
    s += String.fromCharCode(c);
  }
  return s ? Number.parseInt(s, 8) : Number.NaN;
}

function cString(h: Uint8Array, at: number, width: number): string {
  let end = at;
  while (end < at + width && h[end] !== 0) end++;
  return Buffer.from(h.subarray(at, end)).toString('utf8');
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}
