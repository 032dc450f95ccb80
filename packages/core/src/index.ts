/**
 * @comfy-ts/core — typed ComfyUI graphs, a pure compiler to API prompt JSON, the `/object_info`
 * catalog and validation. No I/O here; the HTTP + WebSocket client is `@comfy-ts/core/client`.
 */
export * from "./catalog/index.js";
export * from "./compile/index.js";
export { ComfyError } from "./errors.js";
export * from "./graph/index.js";
export { validate } from "./validate.js";
export * from "./validation/index.js";
