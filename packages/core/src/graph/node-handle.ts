import type { GraphNode } from "./graph-node.js";
import { outputPropertyNames } from "./node-spec.js";
import { type AnyOutput, OUTPUT_REF, type Output, type OutputRef, type SeveralOutputs } from "./output.js";

/** Runtime key under which every handle carries its node. */
export const NODE: unique symbol = Symbol.for("comfy-ts.node") as never;

/** What every node handle has: its node (for compile and error messages). */
export interface NodeHandle {
  readonly [NODE]: GraphNode;
}

/** A node without outputs (SaveImage, PreviewImage …): a root for compile. */
export interface OutputNode extends NodeHandle {}

/** A node with one output: it can be passed wherever that output is expected. */
export type SingleOutputNode<T extends string, Name extends string = T> = NodeHandle &
  Output<T> & { readonly 0: Output<T> } & { readonly [K in Name]: Output<T> };

/** A node with several outputs: each by name (`ckpt.CLIP`) and by index (`ckpt[1]`). */
export type MultiOutputNode<Outputs extends Record<string | number, Output>> = NodeHandle &
  SeveralOutputs &
  Outputs;

type Slot = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19;

/** A node of a class missing from the catalog: any output by index (`n[2]`), `n` itself is output 0. */
export type UntypedNode = NodeHandle & AnyOutput & { readonly [K in Slot]: AnyOutput };

export function isNodeHandle(value: unknown): value is NodeHandle {
  return typeof value === "object" && value !== null && NODE in value;
}

export function nodeOf(handle: NodeHandle): GraphNode {
  return handle[NODE];
}

function makeOutput(ref: OutputRef): Output {
  return Object.freeze({ [OUTPUT_REF]: ref }) as unknown as Output;
}

/** Builds the handle for a node: outputs by name and index; a one-output node is that output. */
export function createHandle(node: GraphNode): NodeHandle {
  const outputs = node.spec.outputs;
  const names = outputPropertyNames(outputs);
  const handle: Record<string | number | symbol, unknown> = { [NODE]: node };
  outputs.forEach(([type, name], slot) => {
    const output = makeOutput({ node, slot, type, name });
    handle[slot] = output;
    const property = names[slot];
    if (property !== undefined) handle[property] = output;
  });
  if (outputs.length === 1) {
    const [type, name] = outputs[0]!;
    handle[OUTPUT_REF] = { node, slot: 0, type, name } satisfies OutputRef;
  }
  return Object.freeze(handle) as unknown as NodeHandle;
}

/** A handle for an untyped node: numeric property access yields that output slot, typed `*`. */
export function createUntypedHandle(node: GraphNode): UntypedNode {
  const cache = new Map<number, Output>();
  const base = { [NODE]: node, [OUTPUT_REF]: { node, slot: 0, type: "*", name: "" } satisfies OutputRef };
  return new Proxy(base, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^(?:0|[1-9]\d*)$/.test(key)) {
        const slot = Number(key);
        let output = cache.get(slot);
        if (!output) {
          output = makeOutput({ node, slot, type: "*", name: "" });
          cache.set(slot, output);
        }
        return output;
      }
      return Reflect.get(target, key, receiver);
    },
  }) as unknown as UntypedNode;
}
