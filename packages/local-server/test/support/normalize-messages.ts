import type { RecordedFrame } from "./reference-cases.js";

/**
 * Output file names carry a counter (`prefix_00007_.png`) that depends on what the folder held, and
 * previews a random `_temp_xxxxx` infix: keep the prefix and the shape only.
 */
export function normalizeFilename(name: string): string {
  return name.replace(/_temp_[a-z]{5}_/, "_temp_#####_").replace(/_\d{5}_(\.\w+)$/, "_#####_$1");
}

/** A UI dict with file names normalized. */
export function normalizeUi(ui: unknown): unknown {
  if (ui === null || typeof ui !== "object") return ui;
  if (Array.isArray(ui)) return ui.map(normalizeUi);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ui as Record<string, unknown>)) {
    out[k] = k === "filename" && typeof v === "string" ? normalizeFilename(v) : normalizeUi(v);
  }
  return out;
}

/**
 * The deterministic part of one frame: its type and the fields that do not depend on time, paths
 * or file counters. Timestamps and tracebacks are left out (exception messages are compared).
 */
export function deterministicFields(frame: RecordedFrame): unknown {
  if ("binary" in frame) return { binary: frame.head.slice(0, 8) };
  const d = frame.data;
  switch (frame.type) {
    case "status":
      return { status: d.status };
    case "execution_start":
    case "execution_success":
      return { type: frame.type, prompt_id: d.prompt_id };
    case "execution_cached":
      return { type: frame.type, nodes: [...(d.nodes as string[])].sort(), prompt_id: d.prompt_id };
    case "executing":
      return { type: frame.type, node: d.node, display_node: d.display_node, prompt_id: d.prompt_id };
    case "executed":
      return {
        type: frame.type,
        node: d.node,
        display_node: d.display_node,
        output: normalizeUi(d.output),
        prompt_id: d.prompt_id,
      };
    case "progress":
      return { type: frame.type, value: d.value, max: d.max, node: d.node, prompt_id: d.prompt_id };
    case "progress_state":
      return { type: frame.type, prompt_id: d.prompt_id, nodes: d.nodes };
    case "execution_error":
      return {
        type: frame.type,
        prompt_id: d.prompt_id,
        node_id: d.node_id,
        node_type: d.node_type,
        executed: [...(d.executed as string[])].sort(),
        exception_type: d.exception_type,
        exception_message: d.exception_message,
        current_outputs: [...(d.current_outputs as string[])].sort(),
      };
    case "execution_interrupted":
      return { type: frame.type, prompt_id: d.prompt_id, node_id: d.node_id, node_type: d.node_type };
    default:
      return { type: frame.type, data: d };
  }
}

/** A history entry's deterministic shape (queue number, timestamps and file counters dropped). */
export function normalizeHistoryEntry(entry: unknown): unknown {
  if (entry === null || typeof entry !== "object") return entry;
  const e = entry as {
    prompt: unknown[];
    outputs: Record<string, unknown>;
    status: { status_str: string; completed: boolean; messages: [string, Record<string, unknown>][] };
    meta: Record<string, unknown>;
  };
  return {
    prompt: [e.prompt[1], e.prompt[2], e.prompt[3], [...(e.prompt[4] as string[])].sort()],
    outputs: normalizeUi(e.outputs),
    status: {
      status_str: e.status.status_str,
      completed: e.status.completed,
      messages: e.status.messages.map(([event, data]) => [event, deterministicFields({ type: event, data })]),
    },
    meta: e.meta,
  };
}
