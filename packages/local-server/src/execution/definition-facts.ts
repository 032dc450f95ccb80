import type { RawNodeDefinition } from "./node-impl.js";

/** The facts of an `/object_info` definition that execution needs. */
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

export function definitionFacts(def: RawNodeDefinition): DefinitionFacts {
  const input = (def.input ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const inputNames = new Set<string>();
  const lazyInputs = new Set<string>();
  for (const group of ["required", "optional"] as const) {
    for (const [name, spec] of Object.entries(input[group] ?? {})) {
      inputNames.add(name);
      const options = Array.isArray(spec) ? spec[1] : undefined;
      if (options && typeof options === "object" && (options as { lazy?: unknown }).lazy === true)
        lazyInputs.add(name);
    }
  }
  const hidden = new Map<string, string>();
  for (const [name, kind] of Object.entries(input.hidden ?? {})) {
    hidden.set(name, String(Array.isArray(kind) ? kind[0] : kind));
  }
  const outputs = Array.isArray(def.output) ? def.output : [];
  const isList = Array.isArray(def.output_is_list) ? def.output_is_list.map((v) => v === true) : [];
  return {
    outputNode: def.output_node === true,
    outputIsList: outputs.map((_, i) => isList[i] ?? false),
    outputCount: outputs.length,
    inputNames,
    lazyInputs,
    hidden,
    idInSignature: def.not_idempotent === true || [...hidden.values()].includes("UNIQUE_ID"),
    inputIsList: def.is_input_list === true,
  };
}
