// A stand-in for stderr on a terminal (or not) that records what a progress bar writes.

/** A fake `NodeJS.WriteStream` and the strings written to it. */
export function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = { isTTY, columns: 120, write: (s: string) => writes.push(s) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

/** The labels a bar showed, in order, without repeats (the text before ` [`). */
export function shownLabels(writes: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of writes) {
    const m = /^\r(.*?) \[/.exec(w);
    if (m && out[out.length - 1] !== m[1]) out.push(m[1]);
  }
  return out;
}
