import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, NODE_FLAGS, runCli } from '../helpers/cli.ts';

describe('lathe (entry point)', () => {
  it('runs node with --no-concurrent-recompilation (Node 20-24 can deadlock at exit otherwise: nodejs/node#54918)', () => {
    assert.ok(
      NODE_FLAGS.includes('--no-concurrent-recompilation'),
      `bin/lathe.js's flags: ${NODE_FLAGS.join(' ')}`,
    );
  });

  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: lathe/);
    // Every command the overview lists exists (it once listed serve before there was one).
    assert.match(r.stdout, /\n {2}serve +serve models over HTTP\n/);
    assert.match(r.stdout, /profile, train, tune,\s+evaluate, track, export, serve, monitor\./);
    assert.match(r.stdout, /\n {2}monitor +data drift of what a model scores against its training data\n/);
  });

  it('prints its version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('exits 2 when a command is missing (lathe, lathe runs, lathe stats), help on stderr; 0 for lathe help', async () => {
    for (const args of [[], ['runs'], ['models'], ['stats']]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `lathe ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /Usage: lathe[\s\S]*error: a command is missing\. Fix: /);
    }
    for (const args of [['help'], ['help', 'runs'], ['runs', '--help']]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `lathe ${args.join(' ')}: ${r.stderr}`);
    }
  });

  it('exits 2 on an unknown command, without a stack trace', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command|too many arguments/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  });

  it('lists lathe run, the main job, and gives its help with exit 0', async () => {
    const help = await runCli(['--help']);
    assert.match(help.stdout, /\n {2}run +the main job: profile, compare, tune, evaluate, report\n/);
    for (const args of [
      ['run', '--help'],
      ['help', 'run'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: lathe run \[options\] <data>/);
      assert.match(r.stdout, /--time <duration>/);
      assert.match(r.stdout, /--target <column>/);
    }
  });

  it('a closed stderr (lathe … 2>&1 | head) drops the notes, not the exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-stderr-'));
    try {
      // An empty column: the report goes to stdout, the `lathe clean` hint to stderr.
      const data = join(dir, 'data.csv');
      writeFileSync(data, 'a,empty,y\n1,,yes\n2,,no\n3,,yes\n');
      const child = spawn(process.execPath, [...NODE_FLAGS, BIN, 'profile', data], {
        env: { ...process.env, LATHE_DEV: process.env.LATHE_CLI_FROM_DIST === '1' ? '0' : '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stderr.destroy(); // the reader of stderr is gone: writing to it is EPIPE
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.match(stdout, /Data quality report: .*data\.csv/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
