import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';

describe('lathe (entry point)', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: lathe/);
  });

  it('prints its version', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command, without a stack trace', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command|too many arguments/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  });
});
