/**
 * The dendrogram of a hierarchical clustering (HRP, HERC, the clustered correlation): its layout as line segments
 * from SciPy's linkage matrix, and the chart. Leaves sit at x = 0 .. n-1 in the tree's left-to-right order at height
 * 0; a merge sits at the mean x of its two children and at its linkage distance.
 */

import { ValidationError } from '../../core/errors.js';
import type { ChartSpec } from './types.js';

/** The tree as plain data: labels of the points and SciPy's linkage rows `[left, right, distance, count]`. */
export interface DendrogramData {
  readonly labels: readonly string[];
  readonly merges: readonly (readonly [number, number, number, number])[];
  /** Linkage criterion, for the caption. */
  readonly method?: string;
}

/** One segment of the drawing, in (leaf position, distance) coordinates. */
export interface DendrogramSegment {
  readonly x: number;
  readonly y: number;
  readonly x2: number;
  readonly y2: number;
}

/** The layout: leaves in order with their positions, and the segments (three per merge: two legs and a bar). */
export interface DendrogramLayout {
  readonly leaves: readonly { readonly label: string; readonly x: number }[];
  readonly segments: readonly DendrogramSegment[];
}

/** Lays out the tree; throws ValidationError when the merges do not form a tree over the labels. */
export function dendrogramLayout(data: DendrogramData): DendrogramLayout {
  const n = data.labels.length;
  if (data.merges.length !== Math.max(0, n - 1)) {
    throw new ValidationError(`a dendrogram of ${n} leaves needs ${n - 1} merges, got ${data.merges.length}`);
  }
  const children = (id: number): readonly [number, number] | undefined => {
    const m = data.merges[id - n];
    return m === undefined ? undefined : [m[0], m[1]];
  };
  // Leaves left to right: depth-first from the root, left child first.
  const order: number[] = [];
  const stack = n === 0 ? [] : [2 * n - 2];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (id < n) {
      order.push(id);
      continue;
    }
    const c = children(id);
    if (c === undefined) throw new ValidationError(`the dendrogram refers to cluster ${id}, which has no merge`);
    stack.push(c[1], c[0]);
  }
  if (order.length !== n || new Set(order).size !== n) throw new ValidationError('the merges do not form one tree');
  const x = new Float64Array(2 * n);
  const y = new Float64Array(2 * n);
  order.forEach((leaf, k) => {
    x[leaf] = k;
  });
  const segments: DendrogramSegment[] = [];
  data.merges.forEach(([left, right, distance], k) => {
    const id = n + k;
    x[id] = ((x[left] as number) + (x[right] as number)) / 2;
    y[id] = distance;
    const xl = x[left] as number;
    const xr = x[right] as number;
    segments.push(
      { x: xl, y: y[left] as number, x2: xl, y2: distance },
      { x: xr, y: y[right] as number, x2: xr, y2: distance },
      { x: xl, y: distance, x2: xr, y2: distance },
    );
  });
  return { leaves: order.map((leaf, k) => ({ label: data.labels[leaf] as string, x: k })), segments };
}

/** The dendrogram chart: series `tree` (the segments) and `leaves` (the labels). */
export function dendrogramChart(data: DendrogramData, title = 'Cluster tree (dendrogram)'): ChartSpec {
  const layout = dendrogramLayout(data);
  const rows = [
    ...layout.segments.map((s) => ({ series: 'tree', ...s, label: '' })),
    ...layout.leaves.map((l) => ({ series: 'leaves', x: l.x, y: 0, x2: l.x, y2: 0, label: l.label })),
  ];
  const n = layout.leaves.length;
  const xScale = { domain: [-0.5, Math.max(0.5, n - 0.5)] };
  return {
    id: 'dendrogram',
    title,
    caption:
      `Hierarchical clustering of the assets on the correlation distance sqrt((1 - rho) / 2)` +
      `${data.method ? ` (${data.method} linkage)` : ''}, the tree hierarchical risk parity splits its weights along.`,
    seriesField: 'series',
    series: n > 1 ? ['tree', 'leaves'] : ['leaves'],
    spec: {
      data: { values: rows },
      width: Math.min(640, Math.max(240, 70 * n)),
      height: 260,
      layer: [
        {
          transform: [{ filter: "datum.series === 'tree'" }],
          mark: { type: 'rule', strokeWidth: 2, color: '#0072B2' },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: xScale, axis: null },
            x2: { field: 'x2' },
            y: { field: 'y', type: 'quantitative', title: 'distance', scale: { zero: true } },
            y2: { field: 'y2' },
            tooltip: [{ field: 'y2', type: 'quantitative', title: 'merge distance', format: '.3f' }],
          },
        },
        {
          transform: [{ filter: "datum.series === 'leaves'" }],
          mark: { type: 'text', baseline: 'top', dy: 6, fontSize: 12, fontWeight: 600 },
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: xScale, axis: null },
            y: { field: 'y', type: 'quantitative' },
            text: { field: 'label' },
          },
        },
      ],
    },
  };
}
