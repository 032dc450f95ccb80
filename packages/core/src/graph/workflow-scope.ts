import type { GraphNode } from "./graph-node.js";

// Nodes created while a workflow builds are recorded, so compile can find output nodes the author
// did not return and, on request, keep nodes no output depends on.
const scopes: GraphNode[][] = [];

export function recordNode(node: GraphNode): void {
  scopes[scopes.length - 1]?.push(node);
}

/** Runs `build` and returns what it returned with every node created meanwhile. */
export function collectNodes<R>(build: () => R): { result: R; nodes: GraphNode[] } {
  const nodes: GraphNode[] = [];
  scopes.push(nodes);
  try {
    const result = build();
    return { result, nodes };
  } finally {
    scopes.pop();
    scopes[scopes.length - 1]?.push(...nodes);
  }
}
