import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { ComfyError } from "@comfy-ts/core";
import { BadRequestBodyError } from "../http/request-body.js";
import { sendEmpty, sendJson } from "../http/respond.js";
import type { Router } from "../http/router.js";
import type { ServerState } from "../server/server-state.js";
import { type ParsedForm, readForm, type UploadedFile } from "./multipart.js";
import { isInside, pyJoin, resolveFileRef } from "./safe-path.js";

/** Writes a mask upload: the original image with its alpha replaced by the mask's alpha. */
export type MaskMerger = (original: Uint8Array, mask: Uint8Array) => Promise<Uint8Array | undefined>;

/** Thrown for an unknown upload `type` (ComfyUI crashes there, answering 500). */
class UnknownUploadTypeError extends ComfyError {
  constructor(message: string) {
    super("ERR_UNKNOWN_UPLOAD_TYPE", message);
  }
}

/** Thrown for a mask upload whose `original_ref` is missing or not a JSON object (ComfyUI answers 500). */
class BadOriginalRefError extends ComfyError {
  constructor(message: string) {
    super("ERR_BAD_ORIGINAL_REF", message);
  }
}

function parseOriginalRef(text: string | undefined): Record<string, unknown> {
  let ref: unknown;
  try {
    ref = text === undefined ? undefined : JSON.parse(text);
  } catch {
    // reported below
  }
  if (typeof ref !== "object" || ref === null || Array.isArray(ref)) {
    throw new BadOriginalRefError(
      `POST /upload/mask: original_ref must be a JSON object {"filename", "subfolder", "type"}, got ${text === undefined ? "nothing" : JSON.stringify(text.slice(0, 80))}`,
    );
  }
  return ref as Record<string, unknown>;
}

/** `POST /upload/image` and `POST /upload/mask`. */
export function registerUploadRoutes(router: Router, state: ServerState, mergeMask?: MaskMerger): void {
  router.post("/upload/image", async ({ req, res }) => {
    const form = await readForm(req);
    await imageUpload(state, form, res);
  });

  router.post("/upload/mask", async ({ req, res }) => {
    const form = await readForm(req);
    await imageUpload(state, form, res, async (file, path) => {
      // Like ComfyUI, problems with the original are ignored: nothing is written, the answer is still 200.
      // A missing or non-JSON `original_ref` is not: ComfyUI's `json.loads` raises there, answering 500.
      const ref = parseOriginalRef(form.text("original_ref"));
      if (!mergeMask) return;
      const subfolder = typeof ref.subfolder === "string" && ref.subfolder !== "" ? ref.subfolder : undefined;
      const resolved = resolveFileRef(
        state.dirs,
        String(ref.filename ?? ""),
        typeof ref.type === "string" ? ref.type : "output",
        subfolder,
      );
      if (!resolved.ok) return;
      const original = await readFile(resolved.path).catch(() => undefined);
      if (!original) return;
      const merged = await mergeMask(original, file.bytes);
      if (merged) await writeFile(path, merged);
    });
  });
}

async function imageUpload(
  state: ServerState,
  form: ParsedForm,
  res: import("node:http").ServerResponse,
  save?: (file: UploadedFile, path: string) => Promise<void>,
): Promise<void> {
  const type = form.text("type") ?? "input";
  if (type !== "input" && type !== "output" && type !== "temp") throw new UnknownUploadTypeError(type);
  const uploadDir = state.dirs[type];
  const file = form.file("image");
  if (!file || file.filename === "") {
    // `if image and image.file`: a non-empty text field named "image" has no `.file` (500).
    const text = form.text("image");
    if (!file && text !== undefined && text !== "")
      throw new BadRequestBodyError("AttributeError: 'str' object has no attribute 'file'");
    sendEmpty(res, 400);
    return;
  }
  const subfolder = form.text("subfolder") ?? "";
  const folder = pyJoin(uploadDir, normalize(subfolder === "" ? "." : subfolder));
  let filename = file.filename;
  let path = resolve(folder, filename);
  // ComfyUI checks only the file's path, then makes the subfolder: `subfolder=../x` with a file name
  // leading back inside would create `../x`. Here both must be inside before any folder is made.
  if (!isInside(uploadDir, path) || !isInside(uploadDir, folder) || resolve(path) === resolve(uploadDir)) {
    sendEmpty(res, 400);
    return;
  }
  mkdirSync(folder, { recursive: true });
  const overwrite = form.text("overwrite");
  let duplicate = false;
  if (overwrite !== "true" && overwrite !== "1") {
    const ext = extname(filename);
    const stem = filename.slice(0, filename.length - ext.length);
    for (let i = 1; existsSync(path); i++) {
      if (await sameContent(path, file.bytes)) {
        duplicate = true;
        break;
      }
      filename = `${stem} (${i})${ext}`;
      path = join(folder, filename);
    }
  }
  if (!duplicate) {
    if (save) await save(file, path);
    else await writeFile(path, file.bytes);
  }
  sendJson(res, { name: filename, subfolder, type });
}

async function sameContent(path: string, bytes: Buffer): Promise<boolean> {
  const existing = await readFile(path).catch(() => undefined);
  if (!existing) return false;
  const a = createHash("sha256").update(existing).digest("hex");
  const b = createHash("sha256").update(bytes).digest("hex");
  return a === b;
}
