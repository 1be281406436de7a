/**
 * The browser scripts a report inlines so that it works offline: Vega's runtime and vega-embed (tooltips, the
 * expression interpreter that needs no `eval`, export menu), read once from the installed npm packages. Vega-Lite
 * itself stays out of the page: charts are compiled to Vega in Node.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../../core/errors.js';

const FILES = { vega: 'vega/build/vega.min.js', vegaEmbed: 'vega-embed/build/vega-embed.min.js' } as const;

let cache: { vega: string; vegaEmbed: string } | undefined;

/** The minified scripts, made safe to place inside a `<script>` element. */
export function browserScripts(): { vega: string; vegaEmbed: string } {
  if (cache === undefined) cache = { vega: read(FILES.vega), vegaEmbed: read(FILES.vegaEmbed) };
  return cache;
}

/** Text safe inside `<script>`: no `</script` (nor `<!--`) can end the element early. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Finds `node_modules/<file>` from this module's folder upwards (the package's own or a parent's node_modules). */
function read(file: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', file);
    if (existsSync(candidate)) return scriptSafe(readFileSync(candidate, 'utf8'));
    const parent = dirname(dir);
    if (parent === dir) {
      throw new DataError(`cannot find ${file} under any node_modules folder above pfopt: reinstall with npm ci`);
    }
    dir = parent;
  }
}
