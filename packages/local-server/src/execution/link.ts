/**
 * ComfyUI's `is_link`: a 2-element array `[node_id: string, index]`. Python accepts any `int` as the
 * index, and a `bool` is an `int` there (`True` is output 1).
 */
export function isLink(value: unknown): value is [string, number | boolean] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === "string" &&
    (typeof value[1] === "number" || typeof value[1] === "boolean")
  );
}

/**
 * The output a link's index selects from a node's outputs, as Python indexes a list: `-1` is the
 * last output, `true` is 1. Undefined when the index is out of range or not an integer (ComfyUI's
 * `get_input_data` then leaves the input out).
 */
export function linkedOutput<T>(outputs: readonly T[], index: number | boolean): T | undefined {
  const i = typeof index === "boolean" ? Number(index) : index;
  if (!Number.isInteger(i)) return undefined;
  const at = i < 0 ? i + outputs.length : i;
  return at >= 0 && at < outputs.length ? outputs[at] : undefined;
}
