// String lengths against pandas' str.len(): characters (code points), not UTF-16 code units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codePointLength, compareCodePoints } from '../../src/core/code-points.ts';
import { categoricalColumn, textColumn } from '../../src/data/column.ts';
import { Table } from '../../src/data/table.ts';
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

describe('top values: ties in code point order (as the pandas oracle sorts them)', () => {
  it("puts 'ﬀ' (U+FB00) before '😀' (U+1F600), which UTF-16 order reverses", () => {
    const values = ['😀', 'ﬀ', 'b', 'b', 'a', 'a'];
    const top = profileTable(new Table([categoricalColumn('c', values)])).columns[0].top;
    assert.deepEqual(
      top.map((t) => t.value),
      ['a', 'b', 'ﬀ', '😀'],
    );
    const target = profileTable(
      new Table([
        categoricalColumn('y', values),
        categoricalColumn(
          'x',
          values.map((_, i) => `${i % 2}`),
        ),
      ]),
      { target: 'y' },
    ).target;
    assert.deepEqual(
      target?.classes?.map((c) => c.value),
      ['a', 'b', 'ﬀ', '😀'],
    );
  });

  it('compareCodePoints', () => {
    assert.ok(compareCodePoints('ﬀ', '😀') < 0);
    assert.ok(compareCodePoints('a', 'ab') < 0);
    assert.equal(compareCodePoints('é', 'é'), 0);
    assert.ok(compareCodePoints('Z', 'a') < 0);
  });
});
