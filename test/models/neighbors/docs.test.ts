// docs/models/neighbors.md: the examples run and print what the page says.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { docExamples } from '../linear/doc-examples.ts';

const out = docExamples('models/neighbors.md', 1);

it('the example predicts one query per cluster with the KD-tree', () => {
  assert.equal(out[0][0], '["a","b"] kd_tree');
});
