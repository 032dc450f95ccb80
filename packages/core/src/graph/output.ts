import type { GraphNode } from "./graph-node.js";

/** Runtime key of the reference an output handle carries. */
export const OUTPUT_REF: unique symbol = Symbol.for("comfy-ts.output-ref") as never;

// Type-only brand: makes `Output<"LATENT">` unassignable to `Output<"MODEL">` with a message that
// reads "output of type LATENT is not assignable to output of type MODEL".
declare const comfyType: unique symbol;

/** What an output handle points at. */
export interface OutputRef {
  readonly node: GraphNode;
  readonly slot: number;
  /** The ComfyUI type of the output (`"IMAGE"`, `"*"`, …). */
  readonly type: string;
  readonly name: string;
}

/**
 * A typed reference to one output of a node: pass it to an input of the same type.
 * `Output<"A" | "B">` is an input that accepts either type (comma-joined types in the catalog).
 */
export interface Output<T extends string = string> {
  readonly [OUTPUT_REF]: OutputRef;
  readonly [comfyType]: `output of type ${T}`;
}

/** An output of ComfyUI type `*`: it connects to an input of any type, as ComfyUI allows. */
export interface AnyOutput extends Output<never> {}

// Type-only mark of `output_is_list` outputs (shows in hovers; consumers are mapped over the list).
declare const listOutput: unique symbol;

/**
 * An `output_is_list` output of type `T`: it connects wherever `Output<T>` does, and ComfyUI runs the
 * consuming node once per item. Generated handles use it so the hover says the output is a list.
 */
export interface ListOutput<T extends string = string> extends Output<T> {
  readonly [listOutput]?: "list";
}

/** An input that takes a link from an output of type `T` (or of type `*`). */
export type Link<T extends string> = Output<T>;

/** A node with several outputs cannot be passed as one; this brand makes the type error say so. */
export interface SeveralOutputs {
  readonly [comfyType]: "a node with several outputs; pass one of them, e.g. node.MODEL or node[0]";
}

export function isOutput(value: unknown): value is Output {
  return typeof value === "object" && value !== null && OUTPUT_REF in value;
}

export function outputRef(output: Output): OutputRef {
  return output[OUTPUT_REF];
}
