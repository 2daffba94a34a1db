// docs/models/linear.md: the examples run and print what the page says.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { docExamples } from './doc-examples.ts';

const out = docExamples('models/linear.md', 2);

it('the least-squares example recovers y = 1 + 2a − b', () => {
  assert.equal(out[0][0], '["2.000000","-1.000000"] 1.000000 2');
  assert.equal(out[0][1], '6 true');
});

it('the logistic example prints the classes and a one-column decision function', () => {
  assert.equal(out[1][0], '["no","yes"] ["no","no","yes","yes","no","yes"]');
  assert.equal(out[1][1], '["no","yes"]');
  assert.equal(out[1][2], '1');
  assert.equal(out[1][3], '[0,0,1,1,0,1]', 'predictCodes: the indices of predict’s labels');
});
