/**
 * Automatic layout for graphs that never had one (API prompts): columns left to right by dependency
 * depth, nodes in a column ordered by the average row of their sources (fewer crossing wires), and
 * stacked with gaps, so no two nodes overlap.
 */

export interface LayoutNode {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Ids of the nodes this one takes inputs from. */
  readonly sources: readonly string[];
}

export interface LayoutOptions {
  readonly columnGap?: number;
  readonly rowGap?: number;
  readonly origin?: readonly [number, number];
}

export interface Placement {
  readonly x: number;
  readonly y: number;
  /** Column (dependency depth); nodes without sources are in column 0. */
  readonly column: number;
}

/** Positions for every node, keyed by id; the order of `nodes` breaks ties. */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  options: LayoutOptions = {},
): Map<string, Placement> {
  const columnGap = options.columnGap ?? 80;
  const rowGap = options.rowGap ?? 40;
  const [x0, y0] = options.origin ?? [0, 0];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const order = new Map(nodes.map((n, i) => [n.id, i]));

  // Longest-path depth; a cycle (not valid in ComfyUI, but possible in hand-made files) is cut where found.
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const source of byId.get(id)?.sources ?? [])
      if (byId.has(source)) d = Math.max(d, depthOf(source) + 1);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns: LayoutNode[][] = [];
  for (const node of nodes) {
    const d = depthOf(node.id);
    columns[d] = [...(columns[d] ?? []), node];
  }

  const row = new Map<string, number>();
  const placements = new Map<string, Placement>();
  let x = x0;
  columns.forEach((column, c) => {
    if (!column) return;
    const key = (n: LayoutNode): number => {
      const rows = n.sources.map((s) => row.get(s)).filter((r): r is number => r !== undefined);
      return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
    };
    const sorted = [...column].sort(
      (a, b) => key(a) - key(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
    );
    let y = y0;
    sorted.forEach((n, i) => {
      row.set(n.id, i);
      placements.set(n.id, { x, y, column: c });
      y += n.height + rowGap;
    });
    x += Math.max(...column.map((n) => n.width)) + columnGap;
  });
  return placements;
}
