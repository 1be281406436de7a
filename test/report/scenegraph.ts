/**
 * Which series a rendered Vega view drew: the values of a field over the items of data marks (not axes, legends or
 * titles) that have a non-empty extent. Self-contained (no imports, no closure), so that the browser test can send
 * its source to the page.
 */

/** A scenegraph node as far as this walk needs it. */
export interface SceneNode {
  marktype?: string;
  role?: string;
  items?: SceneNode[];
  datum?: Record<string, unknown>;
  bounds?: { x1: number; y1: number; x2: number; y2: number };
}

/** Counts the drawn data-mark items per value of `field`, from the root scenegraph node. */
export function drawnSeriesCounts(root: SceneNode, field: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const extent = (b: SceneNode['bounds']): number =>
    b === undefined || !Number.isFinite(b.x1) || !Number.isFinite(b.x2) ? 0 : b.x2 - b.x1 + (b.y2 - b.y1);
  const walk = (node: SceneNode): void => {
    if (node.marktype !== undefined) {
      const role = node.role ?? '';
      if (role.startsWith('axis') || role.startsWith('legend') || role === 'title' || role === 'frame') {
        if (role !== 'frame') return;
      }
      if (node.marktype !== 'group' && role === 'mark') {
        for (const item of node.items ?? []) {
          const value = item.datum?.[field];
          if (value === undefined || value === null) continue;
          if (extent(item.bounds) > 0 || extent(node.bounds) > 0)
            counts[String(value)] = (counts[String(value)] ?? 0) + 1;
        }
        return;
      }
    }
    for (const item of node.items ?? []) walk(item);
  };
  walk(root);
  return counts;
}
