import { jobClientId } from "../execution/executor.js";
import type { ServerState } from "./server-state.js";

/**
 * ComfyUI's `prompt_worker`: one job at a time — execute, write history, broadcast `status`, send
 * the final `executing {node: null}` to the job's client, then apply `/free` flags.
 */
export async function runWorker(
  state: ServerState,
  signal: AbortSignal,
  onError: (e: unknown) => void,
  onDone: (message: string) => void = () => {},
): Promise<void> {
  while (!signal.aborted) {
    applyFreeFlags(state);
    const next = await state.queue.get(signal);
    if (!next) continue;
    const { taskId, item } = next;
    try {
      const started = performance.now();
      const result = await state.runner.execute(item);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      onDone(`prompt ${item.promptId}: ${result.success ? "executed" : "failed"} in ${seconds} seconds`);
      state.history.add(item.promptId, {
        prompt: [item.number, item.promptId, item.prompt, item.extraData, [...item.outputsToExecute]],
        outputs: result.outputs,
        status: {
          status_str: result.success ? "success" : "error",
          completed: result.success,
          messages: result.messages,
        },
        meta: result.meta,
      });
    } catch (error) {
      onError(error);
    } finally {
      state.queue.taskDone(taskId);
      const clientId = jobClientId(item);
      if (clientId !== null) state.hub.send("executing", { node: null, prompt_id: item.promptId }, clientId);
    }
  }
}

/** Applies pending `/free` flags (`free_memory` drops the output cache). */
export function applyFreeFlags(state: ServerState): void {
  if (state.freeFlags.freeMemory) state.runner.freeMemory();
  state.freeFlags = { unloadModels: false, freeMemory: false };
}
