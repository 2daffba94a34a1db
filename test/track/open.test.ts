// openStore: choosing the adapter from a URL, LATHE_STORE or the default; refusing what it cannot open.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError, ValidationError } from '../../src/core/errors.ts';
import { DEFAULT_STORE_PATH, openStore, resolveStoreTarget } from '../../src/track/open.ts';
import { redactUrl } from '../../src/track/sql/postgres.ts';
import { PG_SKIP, PG_URL } from './helpers.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-open-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe('resolveStoreTarget', () => {
  it('reads postgres URLs, sqlite: URLs, plain paths and folders', () => {
    assert.deepEqual(resolveStoreTarget('postgres://u:p@h:5432/db'), {
      kind: 'postgres',
      location: 'postgres://u:p@h:5432/db',
    });
    assert.equal(resolveStoreTarget('postgresql://h/db').kind, 'postgres');
    assert.deepEqual(resolveStoreTarget('sqlite:///tmp/x.db'), { kind: 'sqlite', location: '/tmp/x.db' });
    assert.deepEqual(resolveStoreTarget('sqlite:rel/x.db'), {
      kind: 'sqlite',
      location: resolve('rel/x.db'),
    });
    assert.deepEqual(resolveStoreTarget(join(dir, 'a.db')), { kind: 'sqlite', location: join(dir, 'a.db') });
    assert.deepEqual(resolveStoreTarget(dir), { kind: 'sqlite', location: join(dir, 'lathe.db') });
    assert.throws(() => resolveStoreTarget('mysql://h/db'), /Unsupported store URL mysql:\/\/h\/db/);
    assert.throws(() => resolveStoreTarget('   '), /store location is empty/);
  });

  it('falls back to LATHE_STORE, then to ./.lathe/lathe.db', () => {
    withEnv({ LATHE_STORE: 'postgres://h/env' }, () => {
      assert.equal(resolveStoreTarget().location, 'postgres://h/env');
      assert.equal(resolveStoreTarget(join(dir, 'b.db')).kind, 'sqlite', 'an explicit store wins');
    });
    withEnv({ LATHE_STORE: undefined }, () => {
      assert.equal(resolveStoreTarget().location, resolve(DEFAULT_STORE_PATH));
    });
  });

  it('hides passwords in URLs it prints', () => {
    assert.equal(redactUrl('postgres://ann:s3cret@db:5432/x'), 'postgres://ann:***@db:5432/x');
    assert.equal(redactUrl('postgres://db/x'), 'postgres://db/x');
  });
});

describe('openStore', () => {
  it('creates a new SQLite store with its artifact folder next to it', async () => {
    const path = join(dir, 'new', 'lathe.db');
    const store = await openStore(path);
    try {
      assert.equal(store.kind, 'sqlite');
      assert.equal(store.location, path);
      assert.equal(store.artifacts.root, join(dir, 'new', 'artifacts'));
      assert.deepEqual(store.migrationsApplied, [1]);
    } finally {
      await store.close();
    }
  });

  it('keeps the artifacts next to the real file when the store path is a symbolic link', async () => {
    const real = join(dir, 'linked-real', 'lathe.db');
    const link = join(dir, 'linked-alias.db');
    const first = await openStore(real);
    await first.close();
    symlinkSync(real, link);
    // Both spellings of one store must find the same artifacts (registered packages among them).
    for (const path of [real, link, `sqlite:${link}`]) {
      const store = await openStore(path, { create: false });
      try {
        assert.equal(store.artifacts.root, join(dir, 'linked-real', 'artifacts'), path);
      } finally {
        await store.close();
      }
    }
  });

  it('with create: false, refuses a store that does not exist and creates nothing', async () => {
    const path = join(dir, 'absent', 'lathe.db');
    await assert.rejects(openStore(path, { create: false }), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.match(e.message, /absent\/lathe\.db: there is no tracking store here yet/);
      return true;
    });
    assert.equal(existsSync(join(dir, 'absent')), false);
  });

  it('with create: false, leaves an empty file alone (SQLite would make it a store)', async () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    await assert.rejects(
      openStore(path, { create: false }),
      (e: unknown) =>
        e instanceof DataError && /empty\.db: there is no tracking store here yet/.test(e.message),
    );
    assert.equal(readFileSync(path).length, 0);
  });

  it('with create: false, leaves a SQLite database that is not a Lathe store as it is', async () => {
    const path = join(dir, 'other.db');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path);
    db.exec('CREATE TABLE notes (t TEXT)');
    db.close();
    const before = readFileSync(path);
    await assert.rejects(
      openStore(path, { create: false }),
      (e: unknown) =>
        e instanceof DataError && /other\.db: there is no tracking store here yet/.test(e.message),
    );
    assert.deepEqual(readFileSync(path), before);
  });

  it('with create: false, does not create a PostgreSQL schema that does not exist', {
    skip: PG_SKIP,
  }, async () => {
    const schema = `lathe_absent_${process.pid}_${Date.now()}`;
    const u = new URL(PG_URL!);
    u.searchParams.set('schema', schema);
    await assert.rejects(
      openStore(u.toString(), { create: false, artifacts: join(dir, 'pg-artifacts') }),
      (e: unknown) => e instanceof DataError && /there is no tracking store here yet/.test(e.message),
    );
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const r = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
        schema,
      ]);
      assert.equal(r.rowCount, 0);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('refuses a file that is not a SQLite database', async () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough'.repeat(20));
    await assert.rejects(
      openStore(path),
      (e: unknown) => e instanceof DataError && /not a readable SQLite database/.test(e.message),
    );
  });

  it('refuses a store written by a newer Lathe', async () => {
    const path = join(dir, 'newer.db');
    await (await openStore(path)).close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path);
    db.prepare("INSERT INTO lathe_migrations VALUES (99, 'future', 0, 'test')").run();
    db.close();
    await assert.rejects(openStore(path), /schema version 99, newer than this Lathe understands \(1\)/);
  });

  it('checks LATHE_HEARTBEAT_TIMEOUT and staleAfterMs', async () => {
    const path = join(dir, 'hb.db');
    await withEnv({ LATHE_HEARTBEAT_TIMEOUT: 'soon' }, () =>
      assert.rejects(openStore(path), /LATHE_HEARTBEAT_TIMEOUT must be a number of seconds > 0; got "soon"/),
    );
    const s = await withEnv({ LATHE_HEARTBEAT_TIMEOUT: '42' }, () => openStore(path));
    assert.equal(s.staleAfterMs, 42_000);
    await s.close();
    await assert.rejects(openStore(path, { staleAfterMs: 0 }), ValidationError);
  });

  it('says why a PostgreSQL store cannot be reached, without the password', async () => {
    await assert.rejects(
      openStore('postgres://ann:s3cret@127.0.0.1:1/x', { artifacts: join(dir, 'a') }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(
          e.message,
          /Cannot connect to the tracking store postgres:\/\/ann:\*\*\*@127\.0\.0\.1:1\/x: nothing is listening there/,
        );
        assert.doesNotMatch(e.message, /s3cret/);
        return true;
      },
    );
    await assert.rejects(
      openStore('postgres://h/db?schema=Bad-Name'),
      /schema "Bad-Name" is not a plain identifier/,
    );
  });

  it('clears temporary files of dead writers when it opens', async () => {
    const root = join(dir, 'tmpclean');
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const host = (await import('node:os')).hostname().replace(/[^A-Za-z0-9._]/g, '_');
    writeFileSync(join(root, 'tmp', `${host}-999999999-abcd.part`), 'partial');
    writeFileSync(join(root, 'tmp', `${host}-${process.pid}-abcd.part`), 'mine, still writing');
    const store = await openStore(join(dir, 'tmpclean.db'), { artifacts: root });
    await store.close();
    assert.equal(existsSync(join(root, 'tmp', `${host}-999999999-abcd.part`)), false);
    assert.equal(existsSync(join(root, 'tmp', `${host}-${process.pid}-abcd.part`)), true);
  });
});
