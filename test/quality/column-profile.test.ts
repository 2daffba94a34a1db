// String lengths against pandas' str.len(): characters (code points), not UTF-16 code units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoricalColumn, textColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
import { codePointLength } from '../../src/quality/column-profile.ts';
import { profileTable } from '../../src/quality/profile.ts';

describe('string lengths', () => {
  it('count an emoji (a surrogate pair in UTF-16) as one character, as pandas', () => {
    // pd.Series(['😀smile', 'ab', 'ab', None, 'é']).str.len(): 6, 2, 2, NaN, 1 → min 1, mean 2.75, max 6
    const values = ['😀smile', 'ab', 'ab', null, 'é'];
    for (const c of [categoricalColumn('c', values), textColumn('t', values)]) {
      const s = profileTable(new Table([c])).columns[0].strings;
      assert.ok(s, c.name);
      assert.equal(s.minLength, 1, c.name);
      assert.equal(s.maxLength, 6, c.name);
      assert.equal(s.meanLength, 2.75, c.name);
    }
  });

  it('codePointLength: pairs count once, lone surrogates and BMP characters once each', () => {
    assert.equal(codePointLength(''), 0);
    assert.equal(codePointLength('ﬀ'), 1);
    assert.equal(codePointLength('👍🏽x'), 3);
    assert.equal(codePointLength('\ud83d'), 1);
    assert.equal(codePointLength('\ude00\ud83d'), 2);
  });
});
