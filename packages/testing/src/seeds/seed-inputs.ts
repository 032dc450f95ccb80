import { type ApiPrompt, isApiLink } from "@comfy-ts/core/catalog";

/** `/object_info` as the server sends it (raw), or just the node classes the caller knows. */
export type RawObjectInfo = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** One seed-like input of a prompt. */
export interface SeedInput {
  readonly nodeId: string;
  readonly classType: string;
  readonly input: string;
  /** The literal value, or undefined when the input is linked to another node. */
  readonly value: unknown;
  /** `[node id, output index]` when linked. */
  readonly link: readonly [string, number] | undefined;
}

const SEED_NAME = /(^|_)seed$/i;

/** INT inputs a node class marks with `control_after_generate` (ComfyUI's seed widgets), by class. */
function seedInputsFromCatalog(
  objectInfo: RawObjectInfo | undefined,
  classType: string,
): Set<string> | undefined {
  const def = objectInfo?.[classType];
  if (!def) return undefined;
  const found = new Set<string>();
  const input = def.input as Record<string, Record<string, unknown> | undefined> | undefined;
  for (const group of [input?.required, input?.optional]) {
    for (const [name, spec] of Object.entries(group ?? {})) {
      if (!Array.isArray(spec)) continue;
      const [type, options] = spec as [unknown, Record<string, unknown> | undefined];
      if (type === "INT" && options && (options.control_after_generate || SEED_NAME.test(name)))
        found.add(name);
    }
  }
  return found;
}

/**
 * Every seed-like input of a prompt: INT inputs whose definition carries `control_after_generate`
 * (when `objectInfo` knows the class), else inputs named `seed` or `*_seed` (`noise_seed`, …).
 * Sorted by node id, then input name.
 */
export function findSeedInputs(prompt: ApiPrompt, objectInfo?: RawObjectInfo): SeedInput[] {
  const out: SeedInput[] = [];
  for (const [nodeId, node] of Object.entries(prompt)) {
    const known = seedInputsFromCatalog(objectInfo, node.class_type);
    for (const [input, value] of Object.entries(node.inputs ?? {})) {
      const seedLike = known ? known.has(input) : SEED_NAME.test(input);
      if (!seedLike) continue;
      out.push({
        nodeId,
        classType: node.class_type,
        input,
        value: isApiLink(value) ? undefined : value,
        link: isApiLink(value) ? [value[0], value[1]] : undefined,
      });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.nodeId, b.nodeId) || cmp(a.input, b.input));
}
