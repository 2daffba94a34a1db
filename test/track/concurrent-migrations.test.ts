// Reliability: processes opening a fresh store at the same moment apply the migrations exactly once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAPTERS, runTogether, type StoreTarget } from './helpers.ts';

const OPENERS = 4;
const ROUNDS = 2;

/** Rows of lathe_migrations, read directly from the database. */
async function migrationRows(target: StoreTarget): Promise<{ version: number; applied_by: string }[]> {
  if (target.kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(target.url, { readonly: true });
    try {
      return db.prepare('SELECT version, applied_by FROM lathe_migrations ORDER BY version').all() as never;
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const u = new URL(target.url);
  const schema = u.searchParams.get('schema')!;
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    return (
      await client.query(`SELECT version, applied_by FROM "${schema}".lathe_migrations ORDER BY version`)
    ).rows;
  } finally {
    await client.end();
  }
}

for (const adapter of ADAPTERS) {
  describe(`concurrent first open (${adapter.kind})`, { skip: adapter.skip }, () => {
    for (let round = 1; round <= ROUNDS; round++) {
      it(`${OPENERS} processes open a fresh store at once: migrations run exactly once (round ${round})`, {
        timeout: 600_000,
      }, async () => {
        const target = adapter.target();
        try {
          const children = await runTogether('open-store.ts', OPENERS, (go) => [
            target.url,
            target.artifacts,
            go,
          ]);
          const applied = children.map((c) => JSON.parse(/^applied (.*)$/m.exec(c.stdout())![1]) as number[]);
          assert.equal(
            applied.filter((a) => a.length > 0).length,
            1,
            `exactly one process migrates: ${JSON.stringify(applied)}`,
          );
          assert.deepEqual(
            applied.find((a) => a.length > 0),
            [1],
          );
          const rows = await migrationRows(target);
          assert.deepEqual(
            rows.map((r) => Number(r.version)),
            [1],
          );
          const winner = children[applied.findIndex((a) => a.length > 0)];
          assert.match(rows[0].applied_by, new RegExp(`pid ${winner.pid}$`));
          for (const c of children) assert.equal(c.stderr(), '');
        } finally {
          await target.cleanup();
        }
      });
    }
  });
}
