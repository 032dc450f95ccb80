import type { GraphNode } from "./graph-node.js";
import { collectNodes } from "./workflow-scope.js";

const GRAPH: unique symbol = Symbol.for("comfy-ts.graph") as never;
const WORKFLOW: unique symbol = Symbol.for("comfy-ts.workflow") as never;

/** A built graph: what the workflow returned, and every node created while it ran. */
export interface Graph<Result = unknown> {
  readonly [GRAPH]: true;
  /** What the build function returned (usually a record of output nodes). */
  readonly result: Result;
  /** Every node created during the build, in creation order. */
  readonly nodes: readonly GraphNode[];
}

/** A parameterized pipeline: call it with parameters to build a graph; pass it to `compile()`. */
export interface Workflow<Params, Result> {
  (params?: Params): Graph<Result>;
  readonly [WORKFLOW]: true;
}

/**
 * Defines a pipeline as a function of its parameters. Parameters with defaults may be omitted:
 *
 * ```ts
 * export const poster = workflow(({ seed = 42n, color = 0xff0000 }) => {
 *   const image = EmptyImage({ width: 64, height: 64, color });
 *   return { out: SaveImage({ images: ImageAddNoise({ image, seed, strength: 0.5 }) }) };
 * });
 * compile(poster);                 // defaults
 * compile(poster({ seed: 7n }));   // another seed
 * ```
 */
// The `Function` constraint is deliberate: a contextual signature would type the destructured
// parameter itself, while without one TypeScript infers `{ seed?: bigint; … }` from its defaults.
// biome-ignore lint/complexity/noBannedTypes: see above
export function workflow<Build extends Function>(build: Build): Workflow<ParamsOf<Build>, ResultOf<Build>> {
  const run = (params?: unknown) =>
    buildGraph(() => (build as unknown as (p: unknown) => unknown)(params ?? {}));
  return Object.assign(run, { [WORKFLOW]: true as const }) as unknown as Workflow<
    ParamsOf<Build>,
    ResultOf<Build>
  >;
}

type ParamsOf<F> = F extends (params: infer P) => unknown ? P : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** Builds a graph from a function that creates nodes, recording all of them. */
export function buildGraph<Result>(build: () => Result): Graph<Result> {
  const { result, nodes } = collectNodes(build);
  return Object.freeze({ [GRAPH]: true as const, result, nodes: Object.freeze(nodes) });
}

export function isGraph(value: unknown): value is Graph {
  return typeof value === "object" && value !== null && GRAPH in value;
}

export function isWorkflow(value: unknown): value is Workflow<never, unknown> {
  return typeof value === "function" && WORKFLOW in value;
}
