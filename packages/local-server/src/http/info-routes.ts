import { freemem, totalmem } from "node:os";
import type { ServerState } from "../server/server-state.js";
import { SERVER_FEATURES } from "../ws/socket-hub.js";
import { sendEmpty, sendJson } from "./respond.js";
import type { Router } from "./router.js";

/** The model folder keys ComfyUI 0.3.65 lists in `GET /models` (all empty here: this server has no models). */
export const MODEL_FOLDERS = [
  "checkpoints",
  "configs",
  "loras",
  "vae",
  "text_encoders",
  "diffusion_models",
  "clip_vision",
  "style_models",
  "embeddings",
  "diffusers",
  "vae_approx",
  "controlnet",
  "gligen",
  "upscale_models",
  "custom_nodes",
  "hypernetworks",
  "photomaker",
  "classifiers",
  "model_patches",
  "audio_encoders",
] as const;

/** The ComfyUI version whose protocol and node definitions this server reproduces. */
export const COMFYUI_COMPAT_VERSION = "0.3.65";

/** `/object_info`, `/system_stats`, `/embeddings`, `/extensions`, `/features`, `/models`. */
export function registerInfoRoutes(router: Router, state: ServerState, version: string): void {
  router.get("/object_info", ({ res }) => sendJson(res, state.registry.objectInfo(state.definitionEnv)));

  router.get("/object_info/{node_class}", ({ res, params }) => {
    const name = params.node_class as string;
    const def = state.registry.define(name, state.definitionEnv);
    sendJson(res, def ? { [name]: def } : {});
  });

  router.get("/system_stats", ({ res }) => {
    const ramTotal = totalmem();
    const ramFree = freemem();
    sendJson(res, {
      system: {
        os: process.platform === "win32" ? "nt" : "posix",
        ram_total: ramTotal,
        ram_free: ramFree,
        comfyui_version: COMFYUI_COMPAT_VERSION,
        required_frontend_version: "1.27.10",
        installed_templates_version: null,
        required_templates_version: "0.1.95",
        python_version: `comfy-ts local server ${version} (Node.js ${process.versions.node}; no Python)`,
        pytorch_version: "none (comfy-ts local server: float32 CPU kernels in TypeScript)",
        embedded_python: false,
        argv: [...state.argv],
      },
      devices: [
        {
          name: "cpu",
          type: "cpu",
          index: null,
          vram_total: ramTotal,
          vram_free: ramFree,
          torch_vram_total: ramTotal,
          torch_vram_free: ramFree,
        },
      ],
    });
  });

  router.get("/embeddings", ({ res }) => sendJson(res, []));
  router.get("/extensions", ({ res }) => sendJson(res, []));
  router.get("/features", ({ res }) => sendJson(res, SERVER_FEATURES));
  router.get("/models", ({ res }) => sendJson(res, MODEL_FOLDERS));
  router.get("/models/{folder}", ({ res, params }) => {
    if ((MODEL_FOLDERS as readonly string[]).includes(params.folder as string)) sendJson(res, []);
    else sendEmpty(res, 404);
  });
}
