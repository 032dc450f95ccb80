/**
 * What the runtime needs to know about a node class to build handles and compile: the class name,
 * its outputs, whether it is an output node, the server's input order and the defaults ComfyUI
 * requires for omitted required inputs. Generated factories carry one; hand-written ones write it.
 */
export interface NodeSpec {
  readonly classType: string;
  /** `[type, name]` or `[type, name, true]` for `output_is_list` outputs, in slot order. */
  readonly outputs: readonly OutputSpec[];
  /** Output nodes are the roots of execution (SaveImage, PreviewImage, …). */
  readonly outputNode?: boolean;
  /** Input names in the server's order; compiled inputs follow it. */
  readonly inputOrder?: readonly string[];
  /** Defaults of required widget inputs, filled in when the author omits them. */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** Display name, used as `_meta.title` only when compiling with `titles: "display-name"`. */
  readonly displayName?: string;
}

export type OutputSpec =
  | readonly [type: string, name: string]
  | readonly [type: string, name: string, isList: true];

const NUMERIC = /^(?:0|[1-9]\d*)$/;

/**
 * The property name under which each output is exposed on a node handle (undefined: by index only).
 * Blank names and names that look like indexes are index-only; a repeated name keeps its first slot,
 * and later slots are exposed as `<name>_<slot>`. Codegen emits the same names.
 */
export function outputPropertyNames(outputs: readonly OutputSpec[]): (string | undefined)[] {
  const taken = new Set<string>();
  const names: (string | undefined)[] = [];
  outputs.forEach(([, name], slot) => {
    let candidate: string | undefined = name.trim() === "" || NUMERIC.test(name) ? undefined : name;
    if (candidate !== undefined && taken.has(candidate)) candidate = `${name}_${slot}`;
    if (candidate !== undefined && taken.has(candidate)) candidate = undefined;
    if (candidate !== undefined) taken.add(candidate);
    names.push(candidate);
  });
  return names;
}
