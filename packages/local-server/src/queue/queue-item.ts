/** One node of a queued (validated, coerced) prompt. */
export interface QueuedNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export type QueuedPrompt = Record<string, QueuedNode>;

/**
 * A job as ComfyUI's queue holds it: `[number, prompt_id, prompt, extra_data, outputs_to_execute]`
 * on the wire, plus credentials kept out of `/queue` and `/history`.
 */
export interface QueueItem {
  readonly number: number;
  readonly promptId: string;
  readonly prompt: QueuedPrompt;
  readonly extraData: Record<string, unknown>;
  readonly outputsToExecute: readonly string[];
  readonly sensitive: Record<string, unknown>;
}

/** The 5-tuple `/queue` and history entries show. */
export type QueueTuple = [
  number: number,
  promptId: string,
  prompt: QueuedPrompt,
  extraData: Record<string, unknown>,
  outputsToExecute: string[],
];

export function toTuple(item: QueueItem): QueueTuple {
  return [item.number, item.promptId, item.prompt, item.extraData, [...item.outputsToExecute]];
}

/** heapq's tuple order: `number`, then `prompt_id`. */
export function queueItemLess(a: QueueItem, b: QueueItem): boolean {
  if (a.number !== b.number) return a.number < b.number;
  return a.promptId < b.promptId;
}
