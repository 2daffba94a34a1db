// docs/models/naive-bayes.md: the examples run.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { docExamples } from '../linear/doc-examples.ts';

const out = docExamples('models/naive-bayes.md', 1);

it('the examples classify their training rows', () => {
  assert.match(out[0][0], /^\["left","left","left","right","right","right"\]/);
  assert.equal(out[0][2], '["sport","sport","politics","politics"] 3');
});
