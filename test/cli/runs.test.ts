// `lathe runs list|show|compare` against a store filled through the library.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunComparison } from '../../src/cli/runs.ts';
import { openStore } from '../../src/track/open.ts';
import type { RunDetail, RunSummary } from '../../src/track/store.ts';
import { startRun } from '../../src/track/tracker.ts';
import { runCli } from '../helpers/cli.ts';
import { type StoreTarget, sqliteTarget } from '../track/helpers.ts';

let target: StoreTarget;
const ids: string[] = [];

before(async () => {
  target = sqliteTarget();
  const store = await target.open();
  try {
    for (const [i, depth] of [3, 6, 6].entries()) {
      const run = await startRun({
        store,
        experiment: i < 2 ? 'trees' : 'other',
        name: `run-${i}`,
        params: { depth, lr: 0.1 },
      });
      await run.logMetric('loss', 1 / (i + 1));
      await run.logMetric('loss', 0.5 / (i + 1));
      await run.logMetric('acc', 0.8 + i / 100);
      await run.setTags({ who: 'test' });
      await run.end(i === 1 ? 'failed' : 'finished', i === 1 ? 'out of memory' : null);
      ids.push(run.id);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await store.close();
  }
});
after(() => target.cleanup());

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli([...args, '--store', target.url], { env });
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

describe('lathe runs: text from the store cannot drive the terminal', () => {
  it('prints escape sequences in names, notes, tags and experiments as visible escapes', async () => {
    const own = sqliteTarget();
    const store = await own.open();
    let id: string;
    try {
      const run = await startRun({
        store,
        experiment: 'esc\u009b2J\u202Etxt.exe',
        name: 'title\u001b]0;pwned\u0007',
      });
      await run.setNotes('clip \u001b]52;c;ZWNobyBwd25lZA==\u0007');
      await run.setTags({ note: 'hi\u001b[2J\u001b[Hcleared' });
      await run.end();
      id = run.id;
    } finally {
      await store.close();
    }
    const cliOwn = (args: string[]) => runCli([...args, '--store', own.url]);
    try {
      for (const args of [
        ['runs', 'show', id],
        ['runs', 'list', '--experiment', 'esc\u009b2J\u202Etxt.exe'],
      ]) {
        const r = await cliOwn(args);
        assert.equal(r.code, 0, r.stderr);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
        assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
        assert.match(r.stdout, /title\\u001b\]0;pwned\\u0007/);
      }
      const show = await cliOwn(['runs', 'show', id]);
      assert.match(show.stdout, /clip \\u001b\]52;c;/);
      assert.match(show.stdout, /hi\\u001b\[2J\\u001b\[Hcleared/);
      const json = await cliOwn(['runs', 'show', id, '--json']);
      assert.equal(JSON.parse(json.stdout).name, 'title\u001b]0;pwned\u0007', 'JSON keeps the data as it is');
    } finally {
      await own.cleanup();
    }
  });
});

describe('lathe runs list', () => {
  it('prints every run, newest first, with the latest metrics (--json)', async () => {
    const r = await cli(['runs', 'list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = json<{ store: string; runs: RunSummary[] }>(r.stdout);
    assert.equal(out.store, target.url);
    assert.deepEqual(
      out.runs.map((x) => x.id),
      [...ids].reverse(),
    );
    assert.deepEqual(out.runs[2].metrics, { acc: 0.8, loss: 0.5 });
    assert.equal(out.runs[1].status, 'failed');
    assert.equal(out.runs[1].failure, 'out of memory');
  });

  it('filters by experiment and status and limits the count', async () => {
    const r = await cli(['runs', 'list', '--experiment', 'trees', '--status', 'finished', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      json<{ runs: RunSummary[] }>(r.stdout).runs.map((x) => x.id),
      [ids[0]],
    );
    const t = await cli(['runs', 'list', '--limit', '1']);
    assert.equal(t.code, 0, t.stderr);
    const lines = t.stdout.trim().split('\n');
    assert.match(lines[0], /^ID\s+EXPERIMENT\s+NAME\s+STATUS/);
    assert.equal(lines.length, 2);
    assert.ok(lines[1].startsWith(ids[2].slice(0, 8)));
    assert.match(lines[1], /acc=0\.82 loss=0\.166667/);
  });

  it('says so when there is no store, and creates none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'lathe-cli-empty-'));
    try {
      const r = await runCli(['runs', 'list'], { cwd: empty, env: { LATHE_STORE: '' } });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /\.lathe\/lathe\.db: there is no tracking store here yet/);
      assert.equal(existsSync(join(empty, '.lathe')), false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the store and the fix, exit 2, when its folder is not writable (not an internal error)', async (t) => {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    // As root the CLI runs as nobody, who must be able to read the checkout (not so under /root).
    if ('uid' in asNobody && (await runCli(['--version'], asNobody)).code !== 0) {
      t.skip('uid 65534 cannot run the CLI from this checkout');
      return;
    }
    // SQLite in WAL mode must create <file>-shm next to the file even to read: in a folder this
    // user cannot write, better-sqlite3 throws SQLITE_READONLY_DIRECTORY, which used to escape as
    // "internal error: attempt to write a readonly database" (exit 1). Root writes anywhere, so
    // as root the CLI runs as nobody.
    const dir = mkdtempSync(join(tmpdir(), 'lathe-cli-ro-'));
    const folder = join(dir, 'store');
    try {
      const store = await openStore(join(folder, 'lathe.db'));
      await store.close();
      chmodSync(dir, 0o755);
      chmodSync(join(folder, 'lathe.db'), 0o444);
      chmodSync(folder, 0o555);
      const r = await runCli(['runs', 'list', '--store', folder], { ...asNobody, cwd: dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /store\/lathe\.db: cannot open the tracking store for writing/);
      assert.match(r.stderr, /Fix: check that the file and its folder exist and are writable/);
      assert.doesNotMatch(r.stderr, /internal error/);
    } finally {
      chmodSync(folder, 0o755);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the store from LATHE_STORE when --store is absent', async () => {
    const r = await runCli(['runs', 'list', '--json'], { env: { LATHE_STORE: target.url } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json<{ runs: RunSummary[] }>(r.stdout).runs.length, 3);
  });
});

describe('lathe runs show', () => {
  it('shows one run by id prefix, with metric history (--json)', async () => {
    const r = await cli(['runs', 'show', ids[0].slice(0, 6), '--history', 'loss', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const run = json<RunDetail & { history: Record<string, { step: number; value: number }[]> }>(r.stdout);
    assert.equal(run.id, ids[0]);
    assert.deepEqual(run.params, { depth: 3, lr: 0.1 });
    assert.deepEqual(run.tags, { who: 'test' });
    assert.equal(run.metrics.loss.count, 2);
    assert.deepEqual(
      run.history.loss.map((p) => [p.step, p.value]),
      [
        [0, 1],
        [1, 0.5],
      ],
    );
    assert.equal(run.lineage?.node, process.version);
  });

  it('prints sections as text, and a clear error for an unknown run', async () => {
    const r = await cli(['runs', 'show', ids[1]]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^run [0-9a-f]{32} \(run-1\)/);
    assert.match(r.stdout, /status\s+failed — out of memory/);
    for (const s of ['params', 'metrics', 'tags', 'lineage'])
      assert.match(r.stdout, new RegExp(`^${s}$`, 'm'));
    const bad = await cli(['runs', 'show', 'ffffffffff']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: No run 'ffffffffff' in the tracking store/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
  });
});

describe('lathe runs compare', () => {
  it('puts params and metrics side by side and marks differences (--json)', async () => {
    const r = await cli(['runs', 'compare', ids[0], ids[1], ids[2].slice(0, 8), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const cmp = json<RunComparison>(r.stdout);
    assert.deepEqual(
      cmp.runs.map((x) => x.id),
      ids,
    );
    assert.deepEqual(cmp.params, [
      { key: 'depth', values: [3, 6, 6], differs: true },
      { key: 'lr', values: [0.1, 0.1, 0.1], differs: false },
    ]);
    assert.deepEqual(cmp.metrics[0], {
      key: 'acc',
      values: [0.8, 0.8 + 1 / 100, 0.8 + 2 / 100],
      differs: true,
    });
    const d = await cli(['runs', 'compare', ids[1], ids[2], '--diff-only']);
    assert.equal(d.code, 0, d.stderr);
    assert.doesNotMatch(d.stdout, /\blr\b/);
    assert.match(d.stdout, /\* acc\s+0\.81\s+0\.82/);
  });

  it('needs two runs', async () => {
    const r = await cli(['runs', 'compare', ids[0]]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs at least two run ids/);
  });
});
