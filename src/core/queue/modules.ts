/**
 * Which code a queued task may run: only functions exported by Lathe's own modules. A task names
 * its module by a key relative to Lathe's source tree (`select/fold-task`), which each worker turns
 * into its own installation's URL — so a coordinator running the TypeScript sources and a worker
 * running the compiled package (or installed under another path) agree, and nothing outside the
 * tree is ever imported from a queue message.
 *
 * @module
 */

/** Lathe's tree: `src/` (TypeScript, under tsx) or `dist/` (compiled). */
const ROOT = new URL('../../', import.meta.url).href;
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

/** The key of a module URL of Lathe's tree (`select/fold-task`), or null for any other string. */
export function moduleKeyOf(url: string): string | null {
  if (!url.startsWith(ROOT)) return null;
  const rest = url.slice(ROOT.length);
  const m = /^(.*)\.(ts|js)$/.exec(rest);
  return m && KEY.test(m[1]) ? m[1] : null;
}

/** This installation's URL for a module key; throws for anything that is not a key of Lathe's tree. */
export function moduleUrlOf(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new Error(
      `queue: ${JSON.stringify(key)} is not a module of Lathe; a worker runs Lathe's own tasks only`,
    );
  }
  return new URL(`${key}${EXT}`, ROOT).href;
}
