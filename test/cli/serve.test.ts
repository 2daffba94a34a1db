import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BIN,
  NODE_FLAGS,
  ROOT,
  type RunningCli,
  runCli,
  startCli,
  trainExampleChurn,
} from '../helpers/cli.ts';
import { PG_SKIP, PG_URL, postgresTarget } from '../track/helpers.ts';

const customers = join(ROOT, 'examples', 'customers.csv');
const TOKEN = 'test-token-0123456789abcdef';
const TLS = join(ROOT, 'test', 'fixtures', 'tls');

/** What `lathe serve --json` prints once listening. */
type ServeInfo = {
  url: string;
  models: { name: string; version: string; infer: string; inputs: string[] }[];
  invocations: string | null;
  auth: string;
  tls: boolean;
  log: string | null;
  watch: number | null;
  metrics: string;
};

type Running = RunningCli<ServeInfo>;

/** Starts `lathe serve <args> --port 0 --json` and resolves once it has printed where it listens. */
function startServer(args: string[], cwd: string): Promise<Running> {
  return startCli<ServeInfo>(['serve', ...args, '--port', '0', '--json'], cwd);
}

/** The CSV's first rows as one OIP input per column (text as read, empty = null). */
function csvInputs(path: string, rows: number, columns: readonly string[]): unknown[] {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const body = lines.slice(1, rows + 1).map((l) => l.split(','));
  return columns.map((c) => {
    const j = header.indexOf(c);
    return { name: c, shape: [rows], datatype: 'BYTES', data: body.map((r) => (r[j] === '' ? null : r[j])) };
  });
}

/** A request over HTTPS trusting only `ca`; resolves with the status and body. */
function httpsCall(url: string, ca: Buffer, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        ca,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Polls `check` every 200 ms until it returns true (or fails the test after `ms`). */
async function eventually(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes the fixture certificate as DER (`cert.der`) and its key encrypted (`encrypted-key.pem`) into `dir`. */
function writeBadTlsFiles(dir: string): void {
  writeFileSync(join(dir, 'cert.der'), new X509Certificate(readFileSync(join(TLS, 'cert.pem'))).raw);
  writeFileSync(
    join(dir, 'encrypted-key.pem'),
    createPrivateKey(readFileSync(join(TLS, 'key.pem'))).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }),
  );
}

/** Scores the first `rows` rows of customers.csv with a served model; the version that answered. */
async function scoredVersion(m: { infer: string; inputs: string[] }, rows: number): Promise<string> {
  const res = await fetch(m.infer, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: csvInputs(customers, rows, m.inputs) }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { model_version: string }).model_version;
}

/** The version `GET /v2/models/<name>` answers with. */
async function servedVersion(url: string, name: string): Promise<string> {
  const r = (await (await fetch(`${url}/v2/models/${name}`)).json()) as { versions: string[] };
  return r.versions[0];
}

describe('lathe serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-serve-cli-'));
  const store = join(dir, 'lathe.db');
  const tokenFile = join(dir, 'token');
  let server: Running;

  before(async () => {
    writeFileSync(tokenFile, `${TOKEN}\n`);
    await trainExampleChurn(dir, 'm1', store);
  });
  after(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a registered model and a package by name, scoring as lathe predict does', async () => {
    server = await startServer(
      [
        'churn/1',
        'path-model=m1',
        '--store',
        store,
        '--token-file',
        tokenFile,
        '--log',
        'predictions.ndjson',
      ],
      dir,
    );
    const { info } = server;
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      info.models.map((m) => [m.name, m.version]),
      [
        ['churn', '1'],
        ['path-model', info.models[1].version],
      ],
    );
    assert.match(info.models[1].version, /^[0-9a-f]{12}$/);
    assert.equal(info.auth, 'bearer');
    assert.equal(info.invocations, null);

    const predicted = await runCli(['predict', 'm1', customers], { cwd: dir });
    assert.equal(predicted.code, 0, predicted.stderr);
    const want = predicted.stdout.trimEnd().split('\n').slice(1, 6);
    for (const m of info.models) {
      const res = await fetch(m.infer, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ inputs: csvInputs(customers, 5, m.inputs) }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { outputs: { name: string; data: unknown[] }[] };
      assert.deepEqual(body.outputs[0].data, want, m.name);
    }
    const denied = await fetch(info.models[0].infer, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(denied.status, 401);
    assert.equal((await fetch(`${info.url}/v2/health/ready`)).status, 200);
  });

  it('stops on SIGTERM with exit code 0, its log holding every answered request', async () => {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    assert.match(
      server.stderr(),
      /serving churn \(version 1, binary\) from churn\/1: POST http:\/\/127\.0\.0\.1:\d+\/v2\/models\/churn\/infer\n/,
    );
    assert.match(
      server.stderr(),
      /listening on http:\/\/127\.0\.0\.1:\d+ \(bearer token required\); logging predictions to predictions\.ndjson\. Ctrl-C stops\./,
    );
    assert.match(server.stderr(), /SIGTERM: finishing the requests under way, then stopping\.\nstopped\.\n$/);
    const lines = readFileSync(join(dir, 'predictions.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.model, l.status, l.rows]),
      [
        ['churn', 200, 5],
        ['path-model', 200, 5],
      ],
    );
  });

  it('refuses, before listening, what would be unsafe or cannot work (exit 2)', async () => {
    const busy: Server = createTcpServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = String((busy.address() as { port: number }).port);
    writeFileSync(join(dir, 'short'), 'abc\n');
    writeBadTlsFiles(dir);
    const cases: [string[], RegExp][] = [
      [
        ['m1', '--host', '0.0.0.0'],
        /--host 0\.0\.0\.0 would let anyone.*--token-file FILE.*--allow-unauthenticated/,
      ],
      [['m1', '--token-file', join(dir, 'short')], /the token must be one word of at least 16 characters/],
      [['m1', '--token-file', join(dir, 'none')], /--token-file .*none: cannot read it \(ENOENT\)/],
      [['m1', '--port', port], new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use.*--port 0 picks one`)],
      // Named after the package's own name (train --register churn), not its folder.
      [['m1', 'm1'], /m1 and m1 would both be served as 'churn'.*churn-b=m1/],
      [
        ['m1', '--log', join(dir, 'no', 'log.ndjson')],
        /prediction log .* cannot be opened for writing \(its folder does not exist\)/,
      ],
      [['nope'], /nope: no model package here/],
      [['m1', '--port', '70000'], /--port must be an integer from 0 to 65535/],
      [['m1', '--timeout', 'soon'], /--timeout must be a duration/],
    ];
    try {
      for (const [args, message] of cases) {
        const r = await runCli(['serve', ...args, '--store', store], { cwd: dir, timeoutMs: 30_000 });
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message, args.join(' '));
        assert.doesNotMatch(r.stderr, /listening on/);
      }
    } finally {
      busy.close();
    }
  });

  it('serves one model at /invocations too, without a token on loopback', async () => {
    const one = await startServer(['m1', '--quiet'], dir);
    try {
      assert.equal(one.info.auth, 'none');
      assert.equal(one.info.models[0].name, 'churn');
      const row = Object.fromEntries(
        (csvInputs(customers, 1, one.info.models[0].inputs) as { name: string; data: unknown[] }[]).map(
          (t) => [t.name, t.data[0]],
        ),
      );
      const res = await fetch(one.info.invocations!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ dataframe_records: [row] }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { predictions: unknown[] };
      assert.equal(body.predictions.length, 1);
      assert.ok(['yes', 'no'].includes(body.predictions[0] as string));
    } finally {
      one.child.kill('SIGINT');
      assert.equal(await one.exited, 0);
      assert.equal(one.stderr(), '');
    }
  });
  it('serves over HTTPS with --tls-cert/--tls-key, and refuses a certificate without its key', async () => {
    const ca = readFileSync(join(TLS, 'cert.pem'));
    const tls = await startServer(
      ['m1', '--tls-cert', join(TLS, 'cert.pem'), '--tls-key', join(TLS, 'key.pem'), '--quiet'],
      dir,
    );
    try {
      assert.match(tls.info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(tls.info.tls, true);
      const row = Object.fromEntries(
        (csvInputs(customers, 1, tls.info.models[0].inputs) as { name: string; data: unknown[] }[]).map(
          (t) => [t.name, t.data[0]],
        ),
      );
      const res = await httpsCall(tls.info.invocations!, ca, { dataframe_records: [row] });
      assert.equal(res.status, 200, res.body);
      assert.equal((JSON.parse(res.body) as { predictions: unknown[] }).predictions.length, 1);
      // A client that does not trust the certificate is refused by TLS itself.
      await assert.rejects(
        httpsCall(`${tls.info.url}/v2/health/live`, Buffer.from('')),
        /self[- ]signed|certificate/i,
      );
      // Plain HTTP to the HTTPS port gets no answer from the models.
      const plain = await fetch(tls.info.url.replace('https:', 'http:')).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.notEqual(plain, 200);
    } finally {
      tls.child.kill('SIGTERM');
      assert.equal(await tls.exited, 0);
    }
    writeBadTlsFiles(dir);
    const cases: [string[], RegExp][] = [
      [['--tls-cert', join(TLS, 'cert.pem')], /--tls-cert was given without --tls-key\. Fix: pass both/],
      [['--tls-key', join(TLS, 'key.pem')], /--tls-key was given without --tls-cert/],
      [
        ['--tls-cert', join(TLS, 'cert.pem'), '--tls-key', join(TLS, 'other-key.pem')],
        /--tls-cert .*cert\.pem and --tls-key .*other-key\.pem do not make a TLS identity \(.*key values mismatch.*\)\. Fix:/,
      ],
      [
        ['--tls-cert', join(TLS, 'README.md'), '--tls-key', join(TLS, 'key.pem')],
        /--tls-cert .*README\.md is not a PEM file \(no -----BEGIN line\)\. Fix: pass the certificate in PEM\./,
      ],
      // OpenSSL's own words ("no start line", "bad decrypt") named neither the file nor the fix.
      [
        ['--tls-cert', join(dir, 'cert.der'), '--tls-key', join(TLS, 'key.pem')],
        /--tls-cert .*cert\.der is not a PEM file \(no -----BEGIN line; it looks like binary DER\)\. Fix: .*openssl x509 -inform DER -in .*cert\.der -out cert\.pem/,
      ],
      [
        ['--tls-cert', join(TLS, 'cert.pem'), '--tls-key', join(dir, 'encrypted-key.pem')],
        /--tls-key .*encrypted-key\.pem is encrypted with a passphrase, and lathe serve takes none.*Fix: .*openssl pkey -in /,
      ],
      [
        ['--tls-cert', join(TLS, 'key.pem'), '--tls-key', join(TLS, 'cert.pem')],
        /--tls-cert .*key\.pem holds no PEM certificate but a private key \(--tls-cert and --tls-key swapped\?\)/,
      ],
      [
        ['--tls-cert', join(dir, 'none.pem'), '--tls-key', join(TLS, 'key.pem')],
        /--tls-cert .*none\.pem: cannot read it \(ENOENT\)/,
      ],
      [['--watch', '0s'], /--watch must be longer than zero/],
      [
        ['--watch', '0.0001'],
        /--watch must be at least 0\.1s .*got '0\.0001'\. Fix: pass e\.g\. --watch 30s/,
      ],
      // Above 2^31 − 1 ms Node's timers fire every 1 ms: a check (a store lookup) in a hot loop.
      [
        ['--watch', '1000h'],
        /--watch must be at most 596h \(24\.8 days.*got '1000h'\. Fix: pass a shorter interval/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['serve', 'm1', ...args, '--store', store], { cwd: dir, timeoutMs: 30_000 });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.doesNotMatch(r.stderr, /listening on/);
    }
  });

  it('--tls-cert out of its dates: serves, and warns that clients which check it will refuse it', async () => {
    const s = await startServer(
      ['m1', '--tls-cert', join(TLS, 'expired-cert.pem'), '--tls-key', join(TLS, 'key.pem')],
      dir,
    );
    s.child.kill('SIGTERM');
    assert.equal(await s.exited, 0);
    assert.match(
      s.stderr(),
      /^warning: the certificate in --tls-cert .*expired-cert\.pem expired on 2020-02-01: clients that check certificates will refuse the connection\. Fix: renew it, then restart the server\.$/m,
    );
  });

  it('--watch: serves the version an alias is moved to, from the next request on; /metrics counts both', async () => {
    const alias = await runCli(['models', 'alias', 'churn/1', 'production', '--store', store], { cwd: dir });
    assert.equal(alias.code, 0, alias.stderr);
    const s = await startServer(
      ['churn@production', '--watch', '0.25s', '--log', 'watched.ndjson', '--store', store],
      dir,
    );
    try {
      assert.equal(s.info.watch, 0.25);
      assert.equal(s.info.metrics, `${s.info.url}/metrics`);
      const score = () => scoredVersion(s.info.models[0], 3);
      assert.equal(await score(), '1');
      // Version 2 (the same package registered again), and the alias moved to it.
      for (const args of [
        ['models', 'register', 'churn', 'm1'],
        ['models', 'alias', 'churn/2', 'production'],
      ]) {
        const r = await runCli([...args, '--store', store], { cwd: dir });
        assert.equal(r.code, 0, r.stderr);
      }
      await eventually('version 2 served', async () => (await servedVersion(s.info.url, 'churn')) === '2');
      assert.equal(await score(), '2');
      // The alias removed: the server keeps version 2 and says so once.
      const gone = await runCli(['models', 'alias', 'churn@production', '--delete', '--store', store], {
        cwd: dir,
      });
      assert.equal(gone.code, 0, gone.stderr);
      await eventually('the failed reload noted', async () => /cannot reload churn/.test(s.stderr()));
      await new Promise((r) => setTimeout(r, 800)); // more checks
      assert.equal(await score(), '2');
      const metrics = await (await fetch(s.info.metrics)).text();
      assert.match(
        metrics,
        /^lathe_inference_requests_total\{model="churn",version="1",route="infer",status="200"\} 1$/m,
      );
      assert.match(
        metrics,
        /^lathe_inference_requests_total\{model="churn",version="2",route="infer",status="200"\} 2$/m,
      );
      assert.match(metrics, /^lathe_model_info\{model="churn",version="2",task="binary"\} 1$/m);
      assert.match(metrics, /^lathe_model_reloads_total\{model="churn",outcome="ok"\} 1$/m);
      const failed = /^lathe_model_reloads_total\{model="churn",outcome="failed"\} (\d+)$/m.exec(metrics);
      assert.ok(failed && Number(failed[1]) >= 3, `a failed attempt per check: ${failed?.[1]}`);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
    const err = s.stderr();
    assert.match(err, /checking every 0\.25 s whether a reference points elsewhere/);
    assert.match(
      err,
      /reloaded churn: churn@production now points at version 2 \(was 1\); it answers the requests from now on\./,
    );
    assert.equal(err.match(/cannot reload churn/g)?.length, 1, err);
    assert.match(
      err,
      /warning: cannot reload churn from churn@production: .*production.* Still serving version 2; the next check tries again\./,
    );
    const versions = readFileSync(join(dir, 'watched.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).version);
    assert.deepEqual(versions, ['1', '2', '2']);
  });

  it('--watch: a version that cannot be served (DBSCAN) is loaded once, not at every check, until the alias moves', async () => {
    // Its own registered name ('lead'), so the other tests' version numbers of 'churn' stay theirs.
    const wine = join(ROOT, 'examples/wine.csv');
    const db = await runCli(
      ['train', wine, '--model', 'dbscan', '--out', 'db-unservable', '--no-track', '--quiet'],
      {
        cwd: dir,
      },
    );
    assert.equal(db.code, 0, db.stderr);
    for (const args of [
      ['models', 'register', 'lead', 'm1', '--alias', 'live'],
      ['models', 'register', 'lead', 'db-unservable'],
    ]) {
      const r = await runCli([...args, '--store', store], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
    }
    const s = await startServer(['lead@live', '--watch', '0.25s', '--store', store], dir);
    try {
      const moved = await runCli(['models', 'alias', 'lead/2', 'live', '--store', store], { cwd: dir });
      assert.equal(moved.code, 0, moved.stderr);
      await eventually('the failed reload noted', async () => /cannot reload lead/.test(s.stderr()));
      await new Promise((r) => setTimeout(r, 1000)); // four more checks
      assert.equal(await servedVersion(s.info.url, 'lead'), '1');
      const metrics = await (await fetch(s.info.metrics)).text();
      assert.match(metrics, /^lathe_model_reloads_total\{model="lead",outcome="failed"\} 1$/m);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
    assert.match(
      s.stderr(),
      /warning: cannot reload lead from lead@live: model lead@live is a DBSCAN clustering.* Still serving version 1; the next check tries again once the reference points elsewhere\./,
    );
  });

  it('SIGHUPs that come while a check runs: one more check after it, its reload reported and counted once', async () => {
    for (const args of [
      ['models', 'alias', 'churn/1', 'storm'],
      ['models', 'register', 'churn', 'm1'],
    ]) {
      const r = await runCli([...args, '--store', store], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
    }
    const latest = /latest (\d+)/.exec(
      (await runCli(['models', 'show', 'churn', '--store', store], { cwd: dir })).stdout,
    )?.[1];
    const s = await startServer(['churn@storm', '--store', store], dir);
    try {
      const moved = await runCli(['models', 'alias', `churn/${latest}`, 'storm', '--store', store], {
        cwd: dir,
      });
      assert.equal(moved.code, 0, moved.stderr);
      // A storm of hangups (logrotate over many files, a nervous operator): many arrive while the
      // check that finds the move runs.
      const storm = setInterval(() => s.child.kill('SIGHUP'), 2);
      try {
        await eventually(
          'the new version served',
          async () => (await servedVersion(s.info.url, 'churn')) === latest,
        );
      } finally {
        clearInterval(storm);
      }
      await new Promise((r) => setTimeout(r, 1000)); // the checks still due
      const metrics = await (await fetch(s.info.metrics)).text();
      assert.match(metrics, /^lathe_model_reloads_total\{model="churn",outcome="ok"\} 1$/m);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
    assert.equal(s.stderr().match(/reloaded churn:/g)?.length, 1, s.stderr());
    // No --log: the note says only what a SIGHUP does here.
    assert.match(s.stderr(), /\nSIGHUP: checking the model references\.\n/);
  });

  it('--watch on a store another process holds locked: requests are not stalled, the check fails and retries', async () => {
    const alias = await runCli(['models', 'alias', 'churn/1', 'locked', '--store', store], { cwd: dir });
    assert.equal(alias.code, 0, alias.stderr);
    const s = await startServer(['churn@locked', '--watch', '0.2s', '--store', store], dir);
    const { default: Database } = await import('better-sqlite3');
    const holder = new Database(store);
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      holder.exec('CREATE TABLE qa_lock (x)'); // takes the lock (rolled back below)
      let worst = 0;
      for (const until = Date.now() + 2500; Date.now() < until; ) {
        const t0 = performance.now();
        assert.equal((await fetch(`${s.info.url}/v2/health/live`)).status, 200);
        worst = Math.max(worst, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      holder.exec('ROLLBACK');
      holder.close();
      // SQLite waits for a lock synchronously: the checks used to block the server 5 s at a time.
      assert.ok(worst < 1000, `a health check took ${Math.round(worst)} ms`);
      await eventually('the failed check noted', async () => /cannot reload churn/.test(s.stderr()));
      assert.match(
        s.stderr(),
        /warning: cannot reload churn from churn@locked: The tracking store .* stayed locked/,
      );
      assert.equal(await servedVersion(s.info.url, 'churn'), '1');
    } finally {
      if (holder.open) holder.close();
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
  });

  it('a SIGHUP while the models load does not end the server: it is acted on once listening', async () => {
    const { default: Database } = await import('better-sqlite3');
    const holder = new Database(store);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    holder.exec('CREATE TABLE qa_lock (x)'); // the start waits for the store: a long load
    const child = spawn(
      process.execPath,
      [
        ...NODE_FLAGS,
        BIN,
        'serve',
        'churn/1',
        '--store',
        store,
        '--port',
        '0',
        '--json',
        '--log',
        'early.ndjson',
      ],
      {
        cwd: dir,
        env: { ...process.env, LATHE_DEV: process.env.LATHE_CLI_FROM_DIST === '1' ? '0' : '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) =>
      child.on('close', (code, signal) => r(code ?? (signal as never))),
    );
    try {
      await new Promise((r) => setTimeout(r, 3000));
      child.kill('SIGHUP'); // logrotate's postrotate, while the server still loads
      await new Promise((r) => setTimeout(r, 200));
      holder.exec('ROLLBACK');
      holder.close();
      await eventually(
        'listening',
        async () => stdout.includes('"url"') || child.exitCode !== null || child.signalCode !== null,
      );
      assert.equal(child.signalCode, null, `the server ended on ${child.signalCode}: ${stderr}`);
      await eventually('the SIGHUP acted on', async () =>
        /SIGHUP: checking the model references/.test(stderr),
      );
    } finally {
      if (holder.open) holder.close();
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    }
  });

  it('--watch warns again when a reference breaks again after it was followed', async () => {
    const cli = async (...args: string[]) => {
      const r = await runCli([...args, '--store', store], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
    };
    await cli('models', 'alias', 'churn/1', 'flaky');
    const s = await startServer(['churn@flaky', '--watch', '0.2s', '--store', store], dir);
    const warnings = () => s.stderr().match(/cannot reload churn/g)?.length ?? 0;
    try {
      await cli('models', 'alias', 'churn@flaky', '--delete');
      await eventually('the first warning', async () => warnings() === 1);
      // Back where it pointed (nothing to reload), then deleted again: a new episode.
      await cli('models', 'alias', 'churn/1', 'flaky');
      await new Promise((r) => setTimeout(r, 1000));
      await cli('models', 'alias', 'churn@flaky', '--delete');
      await eventually('the second warning', async () => warnings() === 2, 10_000);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
  });

  it('stops at once on SIGTERM while a --watch check waits for an unreachable PostgreSQL store', {
    skip: PG_SKIP,
  }, async () => {
    const pg = postgresTarget();
    // The store through a proxy that can turn into a black hole (connections taken, never answered).
    let hole = false;
    const target = new URL(PG_URL!);
    const proxy: Server = createTcpServer((c) => {
      c.on('error', () => {});
      if (hole) return;
      const up = connect(Number(target.port || 5432), target.hostname);
      up.on('error', () => c.destroy());
      c.pipe(up).pipe(c);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = new URL(pg.url);
    url.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      await trainExampleChurn(dir, 'pg-model', url.toString(), ['--alias', 'production']);
      const s = await startServer(['churn@production', '--watch', '0.3s', '--store', url.toString()], dir);
      hole = true;
      await new Promise((r) => setTimeout(r, 1000)); // a check now waits to connect (15 s)
      const t0 = Date.now();
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
      assert.ok(Date.now() - t0 < 5000, `exited ${Date.now() - t0} ms after SIGTERM`);
      assert.match(s.stderr(), /stopped\.\n$/);
    } finally {
      proxy.close();
      await pg.cleanup();
    }
  });

  it('SIGHUP: opens the log again after it was moved, and reloads a package path written anew', async () => {
    cpSync(join(dir, 'm1'), join(dir, 'hup-model'), { recursive: true });
    const s = await startServer(['hup=hup-model', '--log', 'hup.ndjson'], dir);
    const score = () => scoredVersion(s.info.models[0], 2);
    try {
      const v1 = await score();
      renameSync(join(dir, 'hup.ndjson'), join(dir, 'hup.ndjson.1'));
      const tree = await runCli(
        [
          'train',
          customers,
          '--target',
          'churned',
          '--model',
          'tree',
          '--out',
          'hup-model',
          '--force',
          '--no-track',
          '--quiet',
        ],
        { cwd: dir },
      );
      assert.equal(tree.code, 0, tree.stderr);
      s.child.kill('SIGHUP');
      await eventually('the new package served', async () => (await servedVersion(s.info.url, 'hup')) !== v1);
      const v2 = await score();
      assert.match(v2, /^[0-9a-f]{12}$/);
      const ids = (f: string) =>
        readFileSync(join(dir, f), 'utf8')
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l).version);
      assert.deepEqual(ids('hup.ndjson.1'), [v1]);
      assert.deepEqual(ids('hup.ndjson'), [v2]);
    } finally {
      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0);
    }
    assert.match(s.stderr(), /SIGHUP: checking the model references and opening the prediction log again\./);
    assert.match(
      s.stderr(),
      /reloaded hup: hup-model now points at version [0-9a-f]{12} \(was [0-9a-f]{12}\)/,
    );
  });
});
