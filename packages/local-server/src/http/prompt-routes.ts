import { randomUUID } from "node:crypto";
import { pyFloat, pyStr } from "@comfy-ts/core";
import type { QueueItem } from "../queue/queue-item.js";
import { applyFreeFlags } from "../server/prompt-worker.js";
import type { ServerState } from "../server/server-state.js";
import { asObject, readBody, readJson } from "./request-body.js";
import { pythonJson, sendEmpty, sendJson, sendJsonText } from "./respond.js";
import type { Router } from "./router.js";

/** Extra-data keys that never appear in `/queue` or `/history` (credentials of API nodes). */
const SENSITIVE_EXTRA_DATA_KEYS = ["auth_token_comfy_org", "api_key_comfy_org"];

/** `/prompt`, `/queue`, `/interrupt`, `/free`, `/history`. */
export function registerPromptRoutes(router: Router, state: ServerState): void {
  router.get("/prompt", ({ res }) => sendJson(res, state.queueInfo()));

  router.post("/prompt", async ({ req, res }) => {
    const body = asObject(await readJson(req));
    if (!body) throw new TypeError("POST /prompt body must be a JSON object");
    let number: number;
    if ("number" in body) {
      // Python's float(): "1_000", " 2.5 ", "inf", "nan" are numbers; "", "0x10", null, [] raise (500).
      number = pyFloat(body.number);
    } else {
      number = state.nextNumber;
      if (body.front) number = -number;
      state.nextNumber++;
    }
    if (!("prompt" in body)) {
      sendJson(
        res,
        {
          error: {
            type: "no_prompt",
            message: "No prompt provided",
            details: "No prompt provided",
            extra_info: {},
          },
          node_errors: {},
        },
        400,
      );
      return;
    }
    const promptId =
      body.prompt_id === undefined || body.prompt_id === null ? randomUUID() : pyStr(body.prompt_id);
    const outcome = await state.validator(body.prompt, body.partial_execution_targets, {
      define: (classType) => state.registry.define(classType, state.definitionEnv),
    });
    const extraData: Record<string, unknown> = { ...(asObject(body.extra_data) ?? {}) };
    if ("client_id" in body) extraData.client_id = body.client_id;
    if (!outcome.ok) {
      sendJson(res, { error: outcome.error, node_errors: outcome.nodeErrors }, 400);
      return;
    }
    const sensitive: Record<string, unknown> = {};
    for (const key of SENSITIVE_EXTRA_DATA_KEYS) {
      if (key in extraData) {
        sensitive[key] = extraData[key];
        delete extraData[key];
      }
    }
    const item: QueueItem = {
      number,
      promptId,
      prompt: outcome.prompt,
      extraData,
      outputsToExecute: outcome.outputs,
      sensitive,
    };
    state.queue.put(item);
    sendJson(res, { prompt_id: promptId, number, node_errors: outcome.nodeErrors });
  });

  router.get("/queue", ({ res }) => sendJson(res, state.queue.snapshot()));

  router.post("/queue", async ({ req, res }) => {
    const body = asObject(await readJson(req)) ?? {};
    if (body.clear) state.queue.clearPending();
    if (Array.isArray(body.delete)) {
      for (const id of body.delete) state.queue.deletePending(String(id));
    }
    sendEmpty(res);
  });

  router.post("/interrupt", async ({ req, res }) => {
    let body: Record<string, unknown> = {};
    try {
      body = asObject(JSON.parse((await readBody(req)).toString("utf8"))) ?? {};
    } catch {
      // ComfyUI treats an empty or unparsable body as a global interrupt.
    }
    const promptId = body.prompt_id;
    if (promptId) {
      if (state.queue.isRunning(String(promptId))) state.runner.interrupt();
    } else {
      state.runner.interrupt();
    }
    sendEmpty(res);
  });

  router.post("/free", async ({ req, res }) => {
    const body = asObject(await readJson(req)) ?? {};
    const unloadModels = body.unload_models === true;
    const freeMemory = body.free_memory === true;
    if (unloadModels) state.freeFlags.unloadModels = true;
    if (freeMemory) state.freeFlags.freeMemory = true;
    if (state.queue.running().length === 0) applyFreeFlags(state);
    sendEmpty(res);
  });

  router.get("/history", ({ res, url }) => {
    const maxItems = optionalInt(url.searchParams.get("max_items"));
    const offset = optionalInt(url.searchParams.get("offset")) ?? -1;
    const entries = state.history.list(maxItems, offset);
    // Built by hand so that numeric-looking prompt ids keep their chronological order.
    sendJsonText(
      res,
      `{${entries.map(([id, entry]) => `${JSON.stringify(id)}:${pythonJson(entry)}`).join(",")}}`,
    );
  });

  router.get("/history/{prompt_id}", ({ res, params }) => {
    const id = params.prompt_id as string;
    const entry = state.history.get(id);
    sendJsonText(res, entry ? `{${JSON.stringify(id)}:${pythonJson(entry)}}` : "{}");
  });

  router.post("/history", async ({ req, res }) => {
    const body = asObject(await readJson(req)) ?? {};
    if (body.clear) state.history.clear();
    if (Array.isArray(body.delete)) for (const id of body.delete) state.history.delete(String(id));
    sendEmpty(res);
  });
}

/** Python's `int(x)` of a query value: absent → undefined, not an integer → error (answered 500). */
function optionalInt(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new TypeError(`invalid literal for int(): '${value}'`);
  return Number.parseInt(trimmed, 10);
}
