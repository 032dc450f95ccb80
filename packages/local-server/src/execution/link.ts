/** ComfyUI's `is_link`: a 2-element array `[node_id: string, slot: number]`. */
export function isLink(value: unknown): value is [string, number] {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "number"
  );
}
