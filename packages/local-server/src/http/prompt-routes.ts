import { randomUUID } from "node:crypto";
import { pyBool, pyFloat, pyInt, pyStr } from "@comfy-ts/core";
import type { QueueItem } from "../queue/queue-item.js";
import { applyFreeFlags } from "../server/prompt-worker.js";
import type { ServerState } from "../server/server-state.js";
import { pyAssertHashable, pyContains, pyGet, pyGetItem, pyIterate } from "./python-body.js";
import { asObject, BadRequestBodyError, readJson } from "./request-body.js";
import { pythonJson, sendEmpty, sendJson, sendJsonText } from "./respond.js";
import type { Router } from "./router.js";

/** Extra-data keys that never appear in `/queue` or `/history` (credentials of API nodes). */
const SENSITIVE_EXTRA_DATA_KEYS = ["auth_token_comfy_org", "api_key_comfy_org"];

/** `/prompt`, `/queue`, `/interrupt`, `/free`, `/history`. */
export function registerPromptRoutes(router: Router, state: ServerState): void {
  router.get("/prompt", ({ res }) => sendJson(res, state.queueInfo()));

  // ComfyUI's post_prompt, step by step: a body of another type than a dict goes as far as Python
  // gets with it (`"number" in body`, `body["prompt"]`, …) and raises (500) where Python raises.
  router.post("/prompt", async ({ req, res }) => {
    const body = await readJson(req);
    let number: number;
    if (pyContains(body, "number")) {
      // Python's float(): "1_000", " 2.5 ", "inf", "nan" are numbers; "", "0x10", null, [] raise (500).
      number = pyFloat(pyGetItem(body, "number"));
    } else {
      number = state.nextNumber;
      if (pyContains(body, "front") && pyBool(pyGetItem(body, "front"))) number = -number;
      state.nextNumber++;
    }
    if (!pyContains(body, "prompt")) {
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
    const prompt = pyGetItem(body, "prompt");
    const fields = body as Record<string, unknown>;
    // `str(json_data.get("prompt_id", uuid4()))`: an explicit null is str(None).
    const promptId = Object.hasOwn(fields, "prompt_id") ? pyStr(fields.prompt_id) : randomUUID();
    const outcome = await state.validator(prompt, fields.partial_execution_targets, {
      define: (classType) => state.registry.define(classType, state.definitionEnv),
    });
    // `extra_data["client_id"] = …` (before the validation result is looked at) needs a dict; the
    // sensitive-key check (`key in extra_data`) needs something iterable.
    const given = Object.hasOwn(fields, "extra_data") ? fields.extra_data : {};
    const extraData: Record<string, unknown> = { ...(asObject(given) ?? {}) };
    if (Object.hasOwn(fields, "client_id")) {
      if (asObject(given) === undefined) pyGetItem(given, "client_id");
      extraData.client_id = fields.client_id;
    }
    if (!outcome.ok) {
      sendJson(res, { error: outcome.error, node_errors: outcome.nodeErrors }, 400);
      return;
    }
    for (const key of SENSITIVE_EXTRA_DATA_KEYS) pyContains(given, key);
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
    const body = await readJson(req);
    if (pyContains(body, "clear") && pyBool(pyGetItem(body, "clear"))) state.queue.clearPending();
    if (pyContains(body, "delete")) {
      // `a[1] == id_to_delete`: only a string id can match a prompt id.
      for (const id of pyIterate(pyGetItem(body, "delete")))
        if (typeof id === "string") state.queue.deletePending(id);
    }
    sendEmpty(res);
  });

  router.post("/interrupt", async ({ req, res }) => {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      // ComfyUI treats an empty or unparsable body (a JSONDecodeError) as a global interrupt.
      if (!(error instanceof BadRequestBodyError && error.jsonSyntax)) throw error;
      body = {};
    }
    const promptId = pyGet(body, "prompt_id");
    if (pyBool(promptId)) {
      if (typeof promptId === "string" && state.queue.isRunning(promptId)) state.runner.interrupt();
    } else {
      state.runner.interrupt();
    }
    sendEmpty(res);
  });

  router.post("/free", async ({ req, res }) => {
    const body = await readJson(req);
    const unloadModels = pyBool(pyGet(body, "unload_models"));
    const freeMemory = pyBool(pyGet(body, "free_memory"));
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
    const body = await readJson(req);
    if (pyContains(body, "clear") && pyBool(pyGetItem(body, "clear"))) state.history.clear();
    if (pyContains(body, "delete")) {
      for (const id of pyIterate(pyGetItem(body, "delete"))) {
        // `history.pop(id, None)`: a list or dict is unhashable; only a string id names an entry.
        pyAssertHashable(id);
        if (typeof id === "string") state.history.delete(id);
      }
    }
    sendEmpty(res);
  });
}

/** Python's `int(x)` of a query value: absent → undefined, not an integer → error (answered 500). */
function optionalInt(value: string | null): number | undefined {
  return value === null ? undefined : Number(pyInt(value));
}
