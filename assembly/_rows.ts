// Row-block loops shared by the modules that centre a block of rows in place (PCA, k-means). Not
// compiled on its own (the leading underscore): each module re-exports what it uses.

/** x[i, j] −= v[j] for every row (lanes = columns; scikit-learn's `X -= X_mean`). */
export function centerRows(x: usize, rows: i32, d: i32, v: usize): void {
  const row = <usize>d << 3;
  const d2 = d & ~1;
  for (let i = 0; i < rows; i++) {
    const xo = x + <usize>i * row;
    let f = 0;
    for (; f < d2; f += 2) {
      const o = xo + (<usize>f << 3);
      v128.store(o, f64x2.sub(v128.load(o), v128.load(v + (<usize>f << 3))));
    }
    if (f < d) {
      const o = xo + (<usize>f << 3);
      store<f64>(o, load<f64>(o) - load<f64>(v + (<usize>f << 3)));
    }
  }
}
