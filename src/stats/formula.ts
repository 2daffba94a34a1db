/**
 * Model formulas in the notation of R, patsy and statsmodels — `y ~ x1 + x2 + C(group) + x1:x2`
 * — parsed into terms. {@link buildDesign} (in `design.ts`) turns them into a design matrix.
 *
 * **Operators** (patsy's, lowest precedence first): `~` separates the response from the
 * predictors; `+` adds terms, `-` removes them; `*` is the full factorial (`a*b` = `a + b + a:b`),
 * `/` nesting (`a/b` = `a + a:b`); `:` interaction; `**` powers of a sum of terms
 * (`(a + b + c)**2` = all main effects and two-way interactions). `1` is the intercept, present
 * unless removed with `- 1` or `+ 0`.
 *
 * **Factors**: a column name; `C(x)` to treat a column as categorical (strings and booleans
 * are categorical anyway), with `C(x, Treatment('b'))` or `C(x, Treatment(reference='b'))` to
 * choose the reference level; functions `log`, `log2`, `log10`, `log1p`, `exp`, `sqrt`, `abs`
 * (also spelled `np.log` etc.), `center(x)`, `standardize(x)`; `I(expr)` for arithmetic
 * (`+ - * / **`, numbers, columns); `Q('odd name')` for a column whose name is not an identifier.
 *
 * **Errors**: a syntax error is a {@link ValidationError} whose message shows the formula with a
 * caret under the offending character.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';

/** An expression inside a factor (Python-like arithmetic and calls). */
export type FormulaExpr =
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'string'; value: string; text: string; pos: number }
  | { kind: 'name'; name: string; pos: number }
  | {
      kind: 'call';
      fn: string;
      args: FormulaExpr[];
      kwargs: { name: string; value: FormulaExpr }[];
      pos: number;
    }
  | { kind: 'unary'; op: '-' | '+'; arg: FormulaExpr; pos: number }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '**'; left: FormulaExpr; right: FormulaExpr; pos: number };

/** One factor of a term: a column or an expression, named like patsy names it. */
export interface FormulaFactor {
  /** The normalised code, e.g. `x1`, `C(group)`, `log(x)`, `I(x ** 2)` — the column-name prefix. */
  name: string;
  expr: FormulaExpr;
  /** Where the factor starts in the formula (for error carets). */
  pos: number;
}

/** A term: an interaction of factors (the empty term is the intercept). */
export interface FormulaTerm {
  factors: FormulaFactor[];
}

/** A parsed formula. */
export interface ParsedFormula {
  /** The formula as given. */
  formula: string;
  /** The response (left of `~`). */
  response: FormulaFactor;
  /** Whether the model has an intercept. */
  intercept: boolean;
  /** The non-intercept terms, in the order written (duplicates removed). */
  terms: FormulaTerm[];
}

type Tok = { type: 'name' | 'number' | 'string' | 'op' | 'end'; text: string; pos: number };

const OPS = ['**', '~', '+', '-', '*', '/', ':', '(', ')', ',', '='];

/** The error for a formula problem at `pos`: the formula with a caret under that character. */
export function formulaError(formula: string, pos: number, message: string, fix: string): ValidationError {
  const caret = `${' '.repeat(Math.max(0, pos))}^`;
  return new ValidationError(
    `${message}\n  ${formula}\n  ${caret}\nAt character ${pos + 1} of the formula.`,
    {
      field: 'formula',
      fix,
    },
  );
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < s.length && /[A-Za-z0-9_.]/.test(s[j])) j++;
      out.push({ type: 'name', text: s.slice(i, j), pos: i });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.slice(i))!;
      out.push({ type: 'number', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length)
        throw formulaError(s, i, 'Formula syntax error: this string is never closed.', `close it with ${c}`);
      out.push({ type: 'string', text: s.slice(i, j + 1), pos: i });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => s.startsWith(o, i));
    if (!op) {
      throw formulaError(
        s,
        i,
        // The whole character, not half of a surrogate pair (an emoji in a column name).
        `Formula syntax error: unexpected character '${String.fromCodePoint(s.codePointAt(i) as number)}'.`,
        "use column names, numbers and the operators ~ + - * / : ** ( ); write a column whose name is not an identifier as Q('name')",
      );
    }
    out.push({ type: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ type: 'end', text: '', pos: s.length });
  return out;
}

/** A term list with patsy's intercept bookkeeping. */
interface TermExpr {
  intercept: boolean;
  interceptRemoved: boolean;
  terms: FormulaTerm[];
}

function termKey(t: FormulaTerm): string {
  return t.factors
    .map((f) => f.name)
    .sort()
    .join('\u0000');
}

function uniqTerms(terms: FormulaTerm[]): FormulaTerm[] {
  const seen = new Set<string>();
  const out: FormulaTerm[] = [];
  for (const t of terms) {
    const k = termKey(t);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

/** Interaction of two terms: the union of their factors (left factors first). */
function joinTerms(a: FormulaTerm, b: FormulaTerm): FormulaTerm {
  const names = new Set(a.factors.map((f) => f.name));
  return { factors: [...a.factors, ...b.factors.filter((f) => !names.has(f.name))] };
}

class Parser {
  private i = 0;
  private readonly toks: Tok[];

  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  private peek(): Tok {
    return this.toks[this.i];
  }

  private next(): Tok {
    return this.toks[this.i++];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.text === text;
  }

  private fail(t: Tok, message: string, fix: string): never {
    throw formulaError(this.src, t.pos, message, fix);
  }

  private expectOp(text: string, fix: string): Tok {
    const t = this.peek();
    if (t.type !== 'op' || t.text !== text) {
      const what = t.type === 'end' ? 'the end of the formula' : `'${t.text}'`;
      this.fail(t, `Formula syntax error: expected '${text}' but found ${what}.`, fix);
    }
    return this.next();
  }

  parse(): ParsedFormula {
    if (this.peek().type === 'end') {
      this.fail(this.peek(), 'The formula is empty.', "write it as 'y ~ x1 + x2'");
    }
    if (this.isOp('~'))
      this.fail(
        this.peek(),
        'Formula syntax error: there is no response before ~.',
        "name the response first, as in 'y ~ x'",
      );
    const lhsStart = this.peek();
    const lhs = this.parseSum();
    if (!this.isOp('~')) {
      const t = this.peek();
      this.fail(
        t,
        t.type === 'end' ? "The formula has no '~'." : `Formula syntax error: unexpected '${t.text}'.`,
        "write the formula as 'response ~ predictors', e.g. 'y ~ x1 + x2'",
      );
    }
    if (lhs.terms.length !== 1 || lhs.terms[0].factors.length !== 1) {
      this.fail(
        lhsStart,
        'The response (left of ~) must be a single column or expression.',
        "use one response, e.g. 'y ~ x' or 'log(y) ~ x'",
      );
    }
    this.next(); // '~'
    if (this.peek().type === 'end')
      this.fail(
        this.peek(),
        'Formula syntax error: nothing after ~.',
        "add predictors, or '1' for an intercept-only model",
      );
    const rhs = this.parseSum();
    const end = this.peek();
    if (end.type !== 'end')
      this.fail(
        end,
        `Formula syntax error: unexpected '${end.text}'.`,
        'check the operators and parentheses',
      );
    return {
      formula: this.src,
      response: lhs.terms[0].factors[0],
      intercept: rhs.interceptRemoved ? rhs.intercept : true,
      terms: uniqTerms(rhs.terms.filter((t) => t.factors.length > 0)),
    };
  }

  // sum := product (('+'|'-') product)*
  private parseSum(): TermExpr {
    let left = this.parseUnaryTerm();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      if (this.peek().type === 'end' || this.isOp(')') || this.isOp('~')) {
        this.fail(
          this.peek(),
          `Formula syntax error: '${op.text}' needs a term after it.`,
          `remove the trailing '${op.text}' or add a term`,
        );
      }
      const rtok = this.peek();
      if (rtok.type === 'number' && (rtok.text === '0' || rtok.text === '1') && this.isAtomEnd(1)) {
        this.next();
        const one = rtok.text === '1';
        // + 1 / - 0 add the intercept; + 0 / - 1 remove it
        const add = (op.text === '+') === one;
        left = add
          ? { intercept: true, interceptRemoved: false, terms: left.terms }
          : { intercept: false, interceptRemoved: true, terms: left.terms };
        continue;
      }
      const right = this.parseProduct();
      if (op.text === '+') {
        left = right.intercept
          ? { intercept: true, interceptRemoved: false, terms: uniqTerms([...left.terms, ...right.terms]) }
          : { ...left, terms: uniqTerms([...left.terms, ...right.terms]) };
      } else {
        const drop = new Set(right.terms.map(termKey));
        const terms = left.terms.filter((t) => !drop.has(termKey(t)));
        left = right.intercept ? { intercept: false, interceptRemoved: true, terms } : { ...left, terms };
      }
    }
    return left;
  }

  private isAtomEnd(offset: number): boolean {
    const t = this.toks[this.i + offset];
    return t.type === 'end' || (t.type === 'op' && ['+', '-', ')', '~'].includes(t.text));
  }

  private parseUnaryTerm(): TermExpr {
    if (this.isOp('-')) {
      const t = this.next();
      const n = this.peek();
      if (n.type === 'number' && n.text === '1') {
        this.next();
        return { intercept: false, interceptRemoved: true, terms: [] };
      }
      if (n.type === 'number' && n.text === '0') {
        this.next();
        return { intercept: true, interceptRemoved: false, terms: [] };
      }
      this.fail(
        t,
        "Formula syntax error: a leading '-' can only remove the intercept ('-1').",
        "remove the '-'",
      );
    }
    if (this.isOp('+')) this.next();
    return this.parseProduct();
  }

  // product := inter (('*'|'/') inter)*
  private parseProduct(): TermExpr {
    let left = this.parseInteraction();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next();
      this.requireOperand(op);
      const right = this.parseInteraction();
      const inter = this.interact(left, right);
      if (op.text === '*')
        left = {
          intercept: false,
          interceptRemoved: false,
          terms: uniqTerms([...left.terms, ...right.terms, ...inter]),
        };
      else {
        // a/b = a + (all factors of a):b
        let all: FormulaTerm = { factors: [] };
        for (const t of left.terms) all = joinTerms(all, t);
        const nested = right.terms.map((t) => joinTerms(all, t));
        left = { intercept: false, interceptRemoved: false, terms: uniqTerms([...left.terms, ...nested]) };
      }
    }
    return left;
  }

  private requireOperand(op: Tok): void {
    const t = this.peek();
    if (t.type === 'end' || (t.type === 'op' && [')', '+', '*', '/', ':', '~', '**', ','].includes(t.text))) {
      this.fail(
        t,
        `Formula syntax error: '${op.text}' needs a term after it.`,
        `add a term after '${op.text}', or remove it`,
      );
    }
  }

  private interact(a: TermExpr, b: TermExpr): FormulaTerm[] {
    const out: FormulaTerm[] = [];
    for (const x of a.terms) for (const y of b.terms) out.push(joinTerms(x, y));
    return uniqTerms(out);
  }

  // inter := power (':' power)*
  private parseInteraction(): TermExpr {
    let left = this.parsePower();
    while (this.isOp(':')) {
      const op = this.next();
      this.requireOperand(op);
      const right = this.parsePower();
      left = { intercept: false, interceptRemoved: false, terms: this.interact(left, right) };
    }
    return left;
  }

  // power := atom ('**' integer)?
  private parsePower(): TermExpr {
    const base = this.parseAtom();
    if (!this.isOp('**')) return base;
    this.next(); // '**'
    const t = this.peek();
    if (t.type !== 'number' || !/^\d+$/.test(t.text) || Number(t.text) < 1) {
      this.fail(
        t,
        "Formula syntax error: '**' on terms needs a positive whole number, e.g. (a + b)**2.",
        'write the power as a whole number',
      );
    }
    this.next();
    let acc = base;
    for (let k = 1; k < Number(t.text); k++) {
      acc = {
        intercept: false,
        interceptRemoved: false,
        terms: uniqTerms([...acc.terms, ...this.interact(acc, base)]),
      };
    }
    return acc;
  }

  private parseAtom(): TermExpr {
    const t = this.peek();
    if (t.type === 'op' && t.text === '(') {
      this.next();
      if (this.isOp(')'))
        this.fail(
          this.peek(),
          'Formula syntax error: empty parentheses.',
          'put terms inside the parentheses, or remove them',
        );
      const inner = this.parseSum();
      this.expectOp(')', "close the parenthesis with ')'");
      return inner;
    }
    if (t.type === 'number') {
      this.next();
      if (t.text === '1') return { intercept: true, interceptRemoved: false, terms: [] };
      if (t.text === '0') return { intercept: false, interceptRemoved: true, terms: [] };
      this.fail(
        t,
        `Formula syntax error: the number ${t.text} is not a term (only 1 and 0, for the intercept).`,
        'wrap arithmetic in I(), e.g. I(2 * x)',
      );
    }
    if (t.type === 'name') {
      const f = this.parseFactor();
      return { intercept: false, interceptRemoved: false, terms: [{ factors: [f] }] };
    }
    if (t.type === 'end')
      this.fail(
        t,
        'Formula syntax error: the formula ends where a term was expected.',
        'add a term or remove the last operator',
      );
    this.fail(
      t,
      `Formula syntax error: unexpected '${t.text}' where a term was expected.`,
      'check the operators: a term is a column name, C(column), a function call or (terms)',
    );
  }

  private parseFactor(): FormulaFactor {
    const start = this.peek();
    const expr = this.parsePyAtom();
    return { name: printExpr(expr), expr, pos: start.pos };
  }

  // --- Python-like expressions inside calls
  private parsePyExpr(): FormulaExpr {
    let left = this.parsePyMul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      this.requirePyOperand(op);
      const right = this.parsePyMul();
      left = { kind: 'binary', op: op.text as '+' | '-', left, right, pos: op.pos };
    }
    return left;
  }

  private requirePyOperand(op: Tok): void {
    const t = this.peek();
    if (
      t.type === 'end' ||
      (t.type === 'op' && [')', '+', '*', '/', ',', '~', '**', ':', '='].includes(t.text))
    ) {
      this.fail(
        t,
        `Formula syntax error: '${op.text}' needs an operand after it.`,
        `add a value after '${op.text}', or remove it`,
      );
    }
  }

  private parsePyMul(): FormulaExpr {
    let left = this.parsePyUnary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next();
      this.requirePyOperand(op);
      const right = this.parsePyUnary();
      left = { kind: 'binary', op: op.text as '*' | '/', left, right, pos: op.pos };
    }
    return left;
  }

  private parsePyUnary(): FormulaExpr {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next();
      this.requirePyOperand(op);
      return { kind: 'unary', op: op.text as '-' | '+', arg: this.parsePyUnary(), pos: op.pos };
    }
    const base = this.parsePyAtom();
    if (this.isOp('**')) {
      const op = this.next();
      this.requirePyOperand(op);
      return { kind: 'binary', op: '**', left: base, right: this.parsePyUnary(), pos: op.pos };
    }
    return base;
  }

  private parsePyAtom(): FormulaExpr {
    const t = this.peek();
    if (t.type === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.text), text: t.text, pos: t.pos };
    }
    if (t.type === 'string') {
      this.next();
      return { kind: 'string', value: t.text.slice(1, -1).replace(/\\(.)/g, '$1'), text: t.text, pos: t.pos };
    }
    if (t.type === 'op' && t.text === '(') {
      this.next();
      const inner = this.parsePyExpr();
      this.expectOp(')', "close the parenthesis with ')'");
      return inner;
    }
    if (t.type === 'name') {
      this.next();
      if (!this.isOp('(')) return { kind: 'name', name: t.text, pos: t.pos };
      const open = this.next();
      const args: FormulaExpr[] = [];
      const kwargs: { name: string; value: FormulaExpr }[] = [];
      if (!this.isOp(')')) {
        for (;;) {
          const a = this.peek();
          if (
            a.type === 'name' &&
            this.toks[this.i + 1].type === 'op' &&
            this.toks[this.i + 1].text === '='
          ) {
            this.next();
            this.next();
            kwargs.push({ name: a.text, value: this.parsePyExpr() });
          } else {
            if (kwargs.length)
              this.fail(
                a,
                'Formula syntax error: a positional argument follows a keyword argument.',
                'put positional arguments first',
              );
            if (a.type === 'end' || (a.type === 'op' && [')', ','].includes(a.text))) {
              this.fail(
                a,
                `Formula syntax error: missing argument in ${t.text}(…).`,
                'remove the extra comma or add the argument',
              );
            }
            args.push(this.parsePyExpr());
          }
          if (this.isOp(',')) {
            this.next();
            continue;
          }
          break;
        }
      }
      if (!this.isOp(')')) {
        const c = this.peek();
        this.fail(
          c.type === 'end' ? open : c,
          c.type === 'end'
            ? `Formula syntax error: '(' of ${t.text}( is never closed.`
            : `Formula syntax error: unexpected '${c.text}' in the arguments of ${t.text}(…).`,
          "close the call with ')'",
        );
      }
      this.next();
      return { kind: 'call', fn: t.text, args, kwargs, pos: t.pos };
    }
    if (t.type === 'end')
      this.fail(
        t,
        'Formula syntax error: the formula ends where a value was expected.',
        'complete the expression',
      );
    this.fail(
      t,
      `Formula syntax error: unexpected '${t.text}' where a value was expected.`,
      'check the expression',
    );
  }
}

/** Prints an expression the way patsy normalises factor code (spaces around binary operators). */
export function printExpr(e: FormulaExpr): string {
  switch (e.kind) {
    case 'number':
      return e.text;
    case 'string':
      return e.text;
    case 'name':
      return e.name;
    case 'unary':
      return `${e.op}${printExpr(e.arg)}`;
    case 'binary': {
      const wrap = (x: FormulaExpr) =>
        x.kind === 'binary' && prec(x.op) < prec(e.op) ? `(${printExpr(x)})` : printExpr(x);
      const right =
        e.right.kind === 'binary' && prec(e.right.op) <= prec(e.op) && e.op !== '**'
          ? `(${printExpr(e.right)})`
          : wrap(e.right);
      return `${wrap(e.left)} ${e.op} ${right}`;
    }
    case 'call': {
      const parts = [...e.args.map(printExpr), ...e.kwargs.map((k) => `${k.name}=${printExpr(k.value)}`)];
      return `${e.fn}(${parts.join(', ')})`;
    }
  }
}

function prec(op: string): number {
  return op === '**' ? 3 : op === '*' || op === '/' ? 2 : 1;
}

/**
 * Parses a model formula (see the module notes). Throws a {@link ValidationError} with a caret
 * under the offending character on a syntax error.
 *
 * @example parseFormula('y ~ x1 * C(g)').terms.map((t) => t.factors.map((f) => f.name).join(':'))
 * // ['x1', 'C(g)', 'x1:C(g)']
 */
export function parseFormula(formula: string): ParsedFormula {
  if (typeof formula !== 'string') {
    throw new ValidationError(`The formula must be a string; got ${typeof formula}.`, {
      field: 'formula',
      fix: "pass e.g. 'y ~ x1 + x2'",
    });
  }
  return new Parser(formula).parse();
}
