/**
 * Rendering charts without a browser: Vega-Lite compiled to Vega in Node with the theme, drawn by Vega's headless
 * scenegraph to an SVG string (`renderer: 'none'` + `toSVG()`: no canvas, no DOM), and SVG to PNG by resvg.
 * The libraries load on first use, so commands that draw nothing do not pay for them.
 */

import { FONT, themeConfig } from './theme.js';
import type { ChartSpec } from './types.js';

/** A Vega specification (the compiled form the browser page and the SVG renderer take). */
export type VegaSpec = Record<string, unknown>;

/** Compiles a chart to a Vega specification with the theme (its title is left to the page). */
export async function compileChart(chart: ChartSpec): Promise<VegaSpec> {
  return (await compileChartWithWarnings(chart)).spec;
}

/**
 * Compiles a chart as `compileChart` and returns the compiler's warnings too (tests require none). Throws on a
 * compiler error, naming the chart.
 */
export async function compileChartWithWarnings(chart: ChartSpec): Promise<{ spec: VegaSpec; warnings: string[] }> {
  const { compile } = await import('vega-lite');
  const spec = { ...chart.spec, config: themeConfig() };
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...args: readonly unknown[]) => {
      throw new Error(`chart ${chart.id}: ${args.join(' ')}`);
    },
    warn: (...args: readonly unknown[]) => {
      warnings.push(args.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  // biome-ignore lint/suspicious/noExplicitAny: the spec is plain JSON checked by the compiler itself
  const compiled = compile(spec as any, { logger: logger as any }).spec as unknown as VegaSpec;
  const { $schema: _schema, ...rest } = compiled as VegaSpec & { $schema?: string };
  return { spec: rest, warnings };
}

/** Draws a compiled chart to a standalone SVG document (a string). */
export async function vegaToSvg(spec: VegaSpec): Promise<string> {
  const vega = await import('vega');
  // biome-ignore lint/suspicious/noExplicitAny: Vega's parse takes its own JSON spec type
  const view = new vega.View(vega.parse(spec as any), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Compiles and draws a chart to SVG. */
export async function renderChartSvg(chart: ChartSpec): Promise<string> {
  return vegaToSvg(await compileChart(chart));
}

/**
 * Rasterises an SVG document to PNG at `scale` times its size (default 2, for sharp images on high-density
 * screens), with the system fonts (DejaVu Sans where the theme's fonts are missing).
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: FONT.includes('DejaVu Sans') ? 'DejaVu Sans' : 'sans-serif' },
  });
  return resvg.render().asPng();
}
