// The flag parsers shared by every command (src/cli/common.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonFlag } from '../../src/cli/common.ts';

describe('jsonFlag', () => {
  const params = jsonFlag('--params');

  it('parses a JSON object', () => {
    assert.deepEqual(params('{"maxIter":200,"learningRate":0.05}'), { maxIter: 200, learningRate: 0.05 });
  });

  it('says how to write the flag when the value is not JSON (unquoted names, quotes eaten by the shell)', () => {
    for (const bad of ['{maxIter:5}', "{'maxIter':5}", 'notjson']) {
      assert.throws(
        () => params(bad),
        (e: unknown) =>
          e instanceof Error &&
          e.message.startsWith('--params is not valid JSON') &&
          e.message.includes(bad) &&
          /Fix: write a JSON object with double-quoted names and strings, e\.g\. --params '\{"maxIter":100/.test(
            e.message,
          ),
        bad,
      );
    }
  });

  it('refuses JSON that is not an object, with an example', () => {
    assert.throws(
      () => params('[1]'),
      /--params must be a JSON object such as '\{"maxIter":100\}'; got \[1\]/,
    );
  });
});
