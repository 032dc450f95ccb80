import { GraphNode, type NodeOptions } from "./graph-node.js";
import {
  createHandle,
  createUntypedHandle,
  type MultiOutputNode,
  type NodeHandle,
  type OutputNode,
  type SingleOutputNode,
  type UntypedNode,
} from "./node-handle.js";
import type { NodeSpec, OutputSpec } from "./node-spec.js";
import type { Output } from "./output.js";
import { captureCallSite } from "./source-location.js";
import { recordNode } from "./workflow-scope.js";

/** A node factory: `KSampler({ ... }, { id: "3", title: "Sampler" })`. */
export type NodeFactory<Inputs, Handle extends NodeHandle> = ((
  inputs: Inputs,
  options?: NodeOptions,
) => Handle) & {
  readonly spec: NodeSpec;
};

/**
 * Makes the factory for one node class from its spec. Generated modules call this once per class with
 * explicit input and handle types; the runtime only needs the spec.
 */
export function nodeFactory<Inputs, Handle extends NodeHandle>(spec: NodeSpec): NodeFactory<Inputs, Handle> {
  const create = (inputs: Inputs, options?: NodeOptions): Handle => {
    const node = new GraphNode(
      spec,
      (inputs ?? {}) as Record<string, unknown>,
      options,
      captureCallSite(create),
    );
    recordNode(node);
    return createHandle(node) as Handle;
  };
  return Object.assign(create, { spec });
}

/** The handle type of a node with the given output specs (used by `defineNode`). */
export type HandleFor<Outs extends readonly OutputSpec[]> = Outs extends readonly []
  ? OutputNode
  : Outs extends readonly [infer Only extends OutputSpec]
    ? SingleOutputNode<Only[0], Only[1]>
    : MultiOutputNode<
        { readonly [K in keyof Outs & `${number}` as Outs[K][1]]: Output<Outs[K][0]> } & {
          readonly [K in keyof Outs & `${number}`]: Output<Outs[K][0]>;
        }
      >;

/**
 * Declares a node class by hand, typed without codegen:
 *
 * ```ts
 * const ImageInvert = defineNode<{ image: Link<"IMAGE"> }>()({
 *   classType: "ImageInvert",
 *   outputs: [["IMAGE", "IMAGE"]],
 * });
 * const inverted = ImageInvert({ image: loaded });   // Output<"IMAGE">
 * ```
 */
export function defineNode<Inputs>() {
  return <const Spec extends NodeSpec>(spec: Spec): NodeFactory<Inputs, HandleFor<Spec["outputs"]>> =>
    nodeFactory<Inputs, HandleFor<Spec["outputs"]>>(spec);
}

/**
 * A node of a class the catalog does not know (custom nodes not installed where the code was
 * generated). Every input is accepted as is; outputs are reached by index and typed `*`.
 * Validation against a catalog at run time still checks it.
 *
 * ```ts
 * const resized = node("Image Resize+", { image: img, width: 512 })[0];
 * ```
 */
export function node(
  classType: string,
  inputs: Readonly<Record<string, unknown>>,
  options?: NodeOptions & { readonly outputNode?: boolean },
): UntypedNode {
  const spec: NodeSpec = { classType, outputs: [], outputNode: options?.outputNode ?? false };
  const graphNode = new GraphNode(spec, { ...inputs }, options, captureCallSite(node));
  recordNode(graphNode);
  return createUntypedHandle(graphNode);
}
