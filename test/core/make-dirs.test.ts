// Folder creation that gives up instead of spinning where Node's recursive mkdir never returns.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeDirs, makeDirsSync } from '../../src/core/make-dirs.ts';

const dir = mkdtempSync(join(tmpdir(), 'lathe-make-dirs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const gone = join(dir, 'gone');
const dangling = join(dir, 'dangling');
symlinkSync(gone, dangling);
const file = join(dir, 'a-file');
writeFileSync(file, 'x');

/** The error check: the code Node would give, and the path named in the message. */
const fails = (code: string, named: string, re: RegExp) => (e: unknown) =>
  (e as NodeJS.ErrnoException).code === code &&
  (e as Error).message.includes(named) &&
  re.test((e as Error).message);

const forms = [
  ['makeDirsSync', async (p: string) => makeDirsSync(p)],
  ['makeDirs', makeDirs],
] as const;

for (const [name, make] of forms) {
  describe(name, () => {
    it('creates a folder and its missing parents; an existing folder is fine', async () => {
      const deep = join(dir, name, 'a', 'b', 'c');
      await make(deep);
      assert.ok(statSync(deep).isDirectory());
      await make(deep);
      await make(join(dir, name, 'a'));
      await make(`${join(dir, name, 'x')}/`);
      assert.ok(statSync(join(dir, name, 'x')).isDirectory());
    });

    it('names a dangling symbolic link on the way (Node’s recursive mkdir spins there)', async () => {
      await assert.rejects(
        make(join(dangling, 'model')),
        fails('EEXIST', dangling, /symbolic link to a missing target/),
      );
      await assert.rejects(make(join(dangling, 'a', 'b')), fails('EEXIST', dangling, /not a folder/));
      assert.equal(existsSync(gone), false);
    });

    it('refuses a dangling link or a file where the folder should be (EEXIST)', async () => {
      await assert.rejects(make(dangling), fails('EEXIST', dangling, /not a folder/));
      await assert.rejects(make(file), fails('EEXIST', file, /not a folder/));
      await assert.rejects(make(join(file, 'sub')), fails('ENOTDIR', file, /not a directory/));
      assert.equal(statSync(file).isFile(), true);
    });

    it('gives up under /proc, which answers ENOENT for any new folder', {
      skip: !existsSync('/proc/self'),
    }, async () => {
      await assert.rejects(
        make('/proc/lathe-test/model'),
        fails('ENOENT', '/proc/lathe-test', /cannot hold/),
      );
    });
  });
}
