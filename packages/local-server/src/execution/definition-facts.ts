import type { NodeDef } from "@comfy-ts/core";

/** The facts of a node class that execution needs. */
export interface DefinitionFacts {
  readonly outputNode: boolean;
  readonly outputIsList: readonly boolean[];
  readonly outputCount: number;
  /** Declared inputs (required and optional), by name; the executor passes only these to the node. */
  readonly inputNames: ReadonlySet<string>;
  /** Input names marked `lazy` (not scheduled up front). */
  readonly lazyInputs: ReadonlySet<string>;
  /** Hidden input name → kind (`PROMPT`, `EXTRA_PNGINFO`, `UNIQUE_ID`, …). */
  readonly hidden: ReadonlyMap<string, string>;
  /** `NOT_IDEMPOTENT` or a hidden `UNIQUE_ID`: the node id is part of the cache signature. */
  readonly idInSignature: boolean;
  readonly inputIsList: boolean;
}

export function definitionFacts(def: NodeDef): DefinitionFacts {
  const hidden = new Map(def.hidden.map((h) => [h.name, h.kind]));
  return {
    outputNode: def.outputNode,
    outputIsList: def.outputs.map((o) => o.isList),
    outputCount: def.outputs.length,
    inputNames: new Set(def.inputs.map((i) => i.name)),
    lazyInputs: new Set(def.inputs.filter((i) => i.lazy).map((i) => i.name)),
    hidden,
    // ComfyUI does not send NOT_IDEMPOTENT; a node of this server may still declare it in its definition.
    idInSignature: def.raw.not_idempotent === true || [...hidden.values()].includes("UNIQUE_ID"),
    inputIsList: def.isInputList,
  };
}
