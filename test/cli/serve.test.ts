import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, type RunningCli, runCli, startCli, trainExampleChurn } from '../helpers/cli.ts';

const customers = join(ROOT, 'examples', 'customers.csv');
const TOKEN = 'test-token-0123456789abcdef';

/** What `lathe serve --json` prints once listening. */
type ServeInfo = {
  url: string;
  models: { name: string; version: string; infer: string; inputs: string[] }[];
  invocations: string | null;
  auth: string;
  log: string | null;
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
});
