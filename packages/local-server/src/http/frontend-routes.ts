import type { ServerResponse } from "node:http";
import { pyTypeName } from "@comfy-ts/core";
import { MODEL_FOLDERS } from "./info-routes.js";
import { asObject, BadRequestBodyError, readJson } from "./request-body.js";
import { sendEmpty, sendJson } from "./respond.js";
import type { Router } from "./router.js";

const ROOT_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>comfy-ts local server</title></head>
<body><p>comfy-ts local server: ComfyUI's HTTP/WebSocket API (/object_info, /prompt, /ws, /history, /view, …)
for ComfyUI's model-free nodes. There is no web frontend here; point a client or COMFYUI_URL at this address.</p></body></html>
`;

/**
 * The routes ComfyUI's web frontend calls at start-up, answered as a server without the frontend
 * package and without models: `/`, `/i18n`, `/workflow_templates`, `/users`, `/settings` (kept in
 * memory), `/view_metadata/{folder}`, `/experiment/models`.
 */
export function registerFrontendRoutes(router: Router): void {
  // A Map: a setting named "constructor" or "__proto__" is just a name.
  const settings = new Map<string, unknown>();

  router.get("/", ({ res }) => sendHtml(res, ROOT_PAGE));
  router.get("/i18n", ({ res }) => sendJson(res, {}));
  router.get("/workflow_templates", ({ res }) => sendJson(res, {}));
  router.get("/users", ({ res }) => sendJson(res, { storage: "server", migrated: true }));

  router.get("/settings", ({ res }) => sendJson(res, Object.fromEntries(settings)));
  router.post("/settings", async ({ req, res }) => {
    // `{**settings, **new_settings}`: only a dict merges.
    const body = await readJson(req);
    const update = asObject(body);
    if (!update) throw new BadRequestBodyError(`TypeError: '${pyTypeName(body)}' object is not a mapping`);
    for (const [key, value] of Object.entries(update)) settings.set(key, value);
    sendEmpty(res);
  });
  router.get("/settings/{id}", ({ res, params }) => sendJson(res, settings.get(params.id as string) ?? null));
  router.post("/settings/{id}", async ({ req, res, params }) => {
    settings.set(params.id as string, await readJson(req));
    sendEmpty(res);
  });

  // No model files here: no safetensors metadata to read.
  router.get("/view_metadata/{folder}", ({ res }) => sendEmpty(res, 404));
  const experimentFolders = MODEL_FOLDERS.filter((f) => f !== "configs" && f !== "custom_nodes");
  router.get("/experiment/models", ({ res }) =>
    sendJson(
      res,
      experimentFolders.map((name) => ({ name, folders: [] })),
    ),
  );
  router.get("/experiment/models/{folder}", ({ res, params }) => {
    if ((experimentFolders as readonly string[]).includes(params.folder as string)) sendJson(res, []);
    else sendEmpty(res, 404);
  });
}

function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, { "Content-Type": "text/html", "Content-Length": Buffer.byteLength(html) });
  res.end(html);
}
