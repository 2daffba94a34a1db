import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { buildDesign } from '../../src/stats/design.ts';
import { parseFormula } from '../../src/stats/formula.ts';

const termsOf = (f: string) => parseFormula(f).terms.map((t) => t.factors.map((x) => x.name).join(':'));

describe('parseFormula (patsy semantics)', () => {
  it('expands *, /, ** and parentheses, removes terms with -, and dedupes', () => {
    assert.deepEqual(termsOf('y ~ a*b'), ['a', 'b', 'a:b']);
    assert.deepEqual(termsOf('y ~ a/b'), ['a', 'a:b']);
    assert.deepEqual(termsOf('y ~ (a + b + c)**2'), ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
    assert.deepEqual(termsOf('y ~ (a + b):c'), ['a:c', 'b:c']);
    assert.deepEqual(termsOf('y ~ a*b - a:b'), ['a', 'b']);
    assert.deepEqual(termsOf('y ~ a + b + a + b:a'), ['a', 'b', 'b:a']);
  });

  it('handles the intercept: present by default, removed by -1 or +0, restored by +1', () => {
    assert.equal(parseFormula('y ~ x').intercept, true);
    assert.equal(parseFormula('y ~ x - 1').intercept, false);
    assert.equal(parseFormula('y ~ 0 + x').intercept, false);
    assert.equal(parseFormula('y ~ x + 0').intercept, false);
    assert.equal(parseFormula('y ~ -1 + x').intercept, false);
    assert.equal(parseFormula('y ~ x - 1 + 1').intercept, true);
    assert.deepEqual(termsOf('y ~ 1'), []);
  });

  it('normalises factor code like patsy (spaces around operators, after commas)', () => {
    assert.deepEqual(termsOf('y ~ I(x**2) + log( z ) + C(g,Treatment("b"))'), [
      'I(x ** 2)',
      'log(z)',
      'C(g, Treatment("b"))',
    ]);
    assert.equal(parseFormula('np.log(y) ~ x').response.name, 'np.log(y)');
  });

  const syntax = (f: string, at: number, message: RegExp) =>
    assert.throws(
      () => parseFormula(f),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.equal(e.field, 'formula');
        assert.match(e.message, message);
        const lines = e.message.split('\n');
        assert.equal(lines[1], `  ${f}`, 'the formula is shown');
        assert.equal(lines[2].indexOf('^'), at + 2, `the caret is under character ${at}`);
        assert.match(lines[3], new RegExp(`At character ${at + 1} of the formula`));
        return true;
      },
    );

  it('points a caret at syntax errors', () => {
    syntax('y ~ x1 + + x2', 9, /unexpected '\+' where a term was expected/);
    syntax('y ~ x1 +', 8, /'\+' needs a term after it/);
    syntax('y ~ (x1 + x2', 12, /expected '\)' but found the end of the formula/);
    syntax('y ~ x1 $ x2', 7, /unexpected character '\$'/);
    syntax('y x1', 2, /unexpected 'x1'|has no '~'/);
    syntax('y ~ 3', 4, /the number 3 is not a term/);
    syntax('y + z ~ x', 0, /response \(left of ~\) must be a single column/);
    syntax('y ~ log(x', 7, /'\(' of log\( is never closed/);
    syntax('y ~ C(g, )', 9, /missing argument in C/);
    syntax('y ~ x**y', 7, /'\*\*' on terms needs a positive whole number/);
    syntax('~ x', 0, /no response before ~/);
  });

  it('names a non-identifier character whole and points at Q() for such column names', () => {
    syntax('🎉score ~ x', 0, /unexpected character '🎉'\./);
    assert.throws(
      () => parseFormula('名前 ~ x'),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /unexpected character '名'/);
        assert.match(e.fix ?? '', /Q\('name'\)/);
        return true;
      },
    );
    assert.equal(parseFormula("Q('🎉score') ~ x").response.name, "Q('🎉score')");
  });
});

describe('buildDesign (patsy column order and names)', () => {
  const frame = {
    y: [1, 2, 3, 4, 5, 6, 7, 8],
    x: [0.5, 1.5, 2, 3, 1, 4, 2.5, 3.5],
    z: [1, 2, 1, 3, 2, 2, 4, 1],
    g: ['b', 'a', 'c', 'a', 'b', 'c', 'a', 'b'],
    ok: [true, false, true, true, false, false, true, false],
  };
  const cols = (f: string) => buildDesign(f, frame).columns;

  it('puts categorical-only terms first, then buckets by numeric factors, by degree', () => {
    assert.deepEqual(cols('y ~ x + C(g)'), ['Intercept', 'C(g)[T.b]', 'C(g)[T.c]', 'x']);
    assert.deepEqual(cols('y ~ x*g'), ['Intercept', 'g[T.b]', 'g[T.c]', 'x', 'x:g[T.b]', 'x:g[T.c]']);
    assert.deepEqual(cols('y ~ x:g'), ['Intercept', 'x:g[a]', 'x:g[b]', 'x:g[c]']);
    assert.deepEqual(cols('y ~ g - 1'), ['g[a]', 'g[b]', 'g[c]']);
    assert.deepEqual(cols('y ~ ok + x:z'), ['Intercept', 'ok[T.True]', 'x:z']);
    assert.deepEqual(cols("y ~ C(g, Treatment(reference='c'))"), [
      'Intercept',
      "C(g, Treatment(reference='c'))[T.a]",
      "C(g, Treatment(reference='c'))[T.b]",
    ]);
    assert.deepEqual(cols('y ~ C(z)'), ['Intercept', 'C(z)[T.2]', 'C(z)[T.3]', 'C(z)[T.4]']);
  });

  it('codes treatment contrasts and interactions', () => {
    const d = buildDesign('y ~ x:C(g)', frame);
    const n = d.n;
    // x:C(g)[a] is x where g = a, else 0
    const col = d.X.subarray(1 * n, 2 * n);
    frame.g.forEach((g, i) => assert.equal(col[i], g === 'a' ? frame.x[i] : 0));
  });

  it('evaluates functions and I() arithmetic', () => {
    const d = buildDesign('y ~ np.log(x) + I(x ** 2 - z / 2) + center(z) + standardize(x)', frame);
    assert.deepEqual(d.columns, [
      'Intercept',
      'np.log(x)',
      'I(x ** 2 - z / 2)',
      'center(z)',
      'standardize(x)',
    ]);
    assert.equal(d.X[1 * d.n + 3], Math.log(3));
    assert.equal(d.X[2 * d.n + 3], 9 - 1.5);
    const zc = d.X.subarray(3 * d.n, 4 * d.n);
    assert.ok(Math.abs(zc.reduce((a, b) => a + b, 0)) < 1e-12, 'centred');
  });

  it('drops rows with missing values in any variable used', () => {
    const d = buildDesign('y ~ x + g', {
      ...frame,
      x: [1, Number.NaN, 2, 3, 4, 5, 6, 7],
      g: ['a', 'b', null, 'a', 'b', 'a', 'b', 'a'],
    });
    assert.equal(d.n, 6);
    assert.deepEqual(Array.from(d.rows), [0, 3, 4, 5, 6, 7]);
  });

  it('refuses an infinite value (not missing) naming the variable and row, rather than a singular design', () => {
    const x = [1, 2, 3, Number.NEGATIVE_INFINITY, 4, 5, 6, 7];
    assert.throws(
      () => buildDesign('y ~ x', { ...frame, x }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /^x is -Infinity at row 4; the fit needs finite values\./);
        assert.equal(e.message.split('\n')[2].indexOf('^'), 2 + 4, 'the caret is under x');
        return true;
      },
    );
    assert.throws(
      () => buildDesign('y ~ x', { ...frame, y: [1, 2, Number.POSITIVE_INFINITY, 4, 5, 6, 7, 8] }),
      /y is Infinity at row 3/,
    );
    // An infinite value in a row dropped for a missing value elsewhere is not used, so no error.
    const d = buildDesign('y ~ x + g', { ...frame, x, g: ['a', 'b', 'c', null, 'b', 'c', 'a', 'b'] });
    assert.equal(d.n, 7);
  });

  it('reports unknown columns with the closest name, and bad functions, at the right place', () => {
    assert.throws(
      () => buildDesign('y ~ x + gg', frame),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.message, /names a column 'gg' that is not in the data/);
        assert.equal(e.message.split('\n')[2].indexOf('^'), 2 + 8);
        assert.match(e.message, /did you mean 'g'\?/);
        return true;
      },
    );
    assert.throws(() => buildDesign('y ~ frob(x)', frame), /Unknown function 'frob'/);
    assert.throws(
      () => buildDesign('y ~ log(x - 1)', frame),
      /log\(x - 1\) is NaN at row 1 \(x - 1 = -0.5\)/,
    );
    assert.throws(() => buildDesign('y ~ log(g)', frame), /Column 'g' is categorical/);
    assert.throws(
      () => buildDesign('g ~ x', frame),
      /The response g is categorical; OLS needs a numeric response/,
    );
    assert.throws(
      () => buildDesign("y ~ C(g, Treatment('zz'))", frame),
      /reference level 'zz' is not a level of g.*the levels are: a, b, c/s,
    );
  });

  it('rejects data where every row has a missing value', () => {
    assert.throws(
      () => buildDesign('y ~ x', { y: [1, 2], x: [Number.NaN, Number.NaN] }),
      /No rows left: every one of the 2 rows/,
    );
  });
});
