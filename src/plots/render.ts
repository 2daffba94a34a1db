/**
 * Rendering specs to images, in Node, offline: Vega-Lite → Vega (`vega-lite`'s compiler) →
 * SVG (`vega`'s headless view), and SVG → PNG (`@resvg/resvg-js`).
 *
 * Nothing is fetched: the specs carry their data inline, and the view gets a loader that refuses
 * every URL and file (a spec that needs one is an error, not a network request). Text is set in
 * the system's sans-serif fonts; Vega measures it by estimate (no canvas), and resvg draws it
 * with the fonts installed on the machine.
 *
 * The libraries are loaded on first use, so commands that never draw do not pay for them.
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';
import { inlineSvg } from './html.ts';
import type { VegaLiteSpec } from './spec.ts';

function offline(what: string): never {
  throw new ValidationError(`plots render offline, but the spec asks to load ${what}.`, {
    field: 'data',
    fix: 'put the data in the spec ({ data: { values: [...] } }) instead of a URL or file',
  });
}

/**
 * A Vega loader that loads nothing. Vega reports a failed load by logging it and carrying on
 * with no data, so the loader also records what was asked for and {@link renderSvg} fails after.
 */
function offlineLoader(asked: string[]) {
  const refuse = async (what: string) => {
    asked.push(what);
    throw new Error(`offline: ${what}`);
  };
  return {
    load: (uri: string) => refuse(`'${uri}'`),
    sanitize: (uri: string) => refuse(`'${uri}'`),
    http: (uri: string) => refuse(`'${uri}'`),
    file: (path: string) => refuse(`the file '${path}'`),
  };
}

/** Vega-Lite's compiler logs warnings to the console; charts built here are checked by tests instead. */
const quietLogger = {
  level: () => quietLogger,
  error: () => quietLogger,
  warn: () => quietLogger,
  info: () => quietLogger,
  debug: () => quietLogger,
};

/**
 * Renders a Vega-Lite spec to an SVG document (a string starting with `<svg`).
 *
 * @example const svg = await renderSvg(histogramSpec(profile.histogram!, { xTitle: 'age' }));
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  let compiled: ReturnType<typeof vegaLite.compile>;
  try {
    compiled = vegaLite.compile(spec, { logger: quietLogger });
  } catch (e) {
    throw new ValidationError(`renderSvg: the spec is not valid Vega-Lite: ${(e as Error).message}`, {
      field: 'spec',
      cause: e,
      fix: 'build specs with the functions in src/plots, or check it against the Vega-Lite schema',
    });
  }
  const external = (compiled.spec.data ?? []).find((d) => 'url' in d && d.url !== undefined);
  if (external && 'url' in external) offline(`'${String(external.url)}'`);
  const asked: string[] = [];
  const view = new vega.View(vega.parse(compiled.spec), {
    renderer: 'none',
    loader: offlineLoader(asked) as unknown as ReturnType<typeof vega.loader>,
    logLevel: vega.None,
  });
  try {
    const svg = await view.toSVG();
    if (asked.length) offline(asked.join(', '));
    return svg;
  } finally {
    view.finalize();
  }
}

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Pixel density: 2 (default) draws at twice the spec's size, for sharp images on screens. */
  scale?: number;
}

/**
 * Renders a Vega-Lite spec to PNG bytes (through {@link renderSvg}, then resvg with the system
 * fonts; text is missing from the image on a machine without any font installed).
 */
export async function renderPng(spec: VegaLiteSpec, options: PngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 10)) {
    throw new ValidationError(`renderPng: scale must be in (0, 10]; got ${scale}.`, { field: 'scale' });
  }
  const svg = await renderSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  })
    .render()
    .asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** A chart rendered to SVG and wrapped for a report page (`<div class="chart">` with an inline SVG labelled `label`). */
export async function chartHtml(spec: VegaLiteSpec, label: string): Promise<string> {
  return `<div class="chart">${inlineSvg(await renderSvg(spec), label)}</div>`;
}
