import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, normalize, posix, resolve } from "node:path";
import { encodePng } from "@comfy-ts/core/png";
import { pyJsonDumps } from "@comfy-ts/core/python";
import { type NodeContext, NodeExecutionError } from "../execution/node-impl.js";
import { PIL_PNG } from "../image/pil-deflate.js";
import { imageToPixels } from "../image/tensor-image.js";
import { dim } from "../tensor/ops.js";
import type { Tensor } from "../tensor/tensor.js";
import { isInside } from "./safe-path.js";

export interface SavePath {
  readonly folder: string;
  readonly filename: string;
  readonly counter: number;
  readonly subfolder: string;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * `folder_paths.get_save_image_path`: expands `%width%`, `%height%`, `%year%` … in the prefix, splits
 * off its subfolder, refuses folders outside `outputDir`, and continues the `_00001_` counter.
 */
export function saveImagePath(
  prefix: string,
  outputDir: string,
  width: number,
  height: number,
  now = new Date(),
): SavePath {
  let p = prefix;
  if (p.includes("%")) {
    p = p
      .replaceAll("%width%", String(width))
      .replaceAll("%height%", String(height))
      .replaceAll("%year%", String(now.getFullYear()))
      .replaceAll("%month%", pad2(now.getMonth() + 1))
      .replaceAll("%day%", pad2(now.getDate()))
      .replaceAll("%hour%", pad2(now.getHours()))
      .replaceAll("%minute%", pad2(now.getMinutes()))
      .replaceAll("%second%", pad2(now.getSeconds()));
  }
  const norm = posix.normalize(p.replaceAll("\\", "/"));
  const subfolder = posix.dirname(norm) === "." ? "" : posix.dirname(norm);
  const filename = posix.basename(norm);
  const base = resolve(outputDir);
  const folder = resolve(base, subfolder);
  // ComfyUI compares resolved paths: `..foo/bar` stays inside, `../foo/bar` and `/abs/bar` do not.
  if (!isInside(base, folder)) {
    throw new NodeExecutionError(
      "Exception",
      `**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: ${folder}\n         output_dir: ${base}`,
    );
  }
  let counter = 1;
  if (existsSync(folder)) {
    const prefixLen = filename.length;
    for (const f of readdirSync(folder)) {
      const head = f.slice(0, prefixLen + 1);
      if (head.slice(0, -1) !== filename || head.at(-1) !== "_") continue;
      const digits = Number.parseInt(f.slice(prefixLen + 1).split("_")[0] ?? "", 10);
      const d =
        Number.isFinite(digits) && /^\d+$/.test(f.slice(prefixLen + 1).split("_")[0] ?? "") ? digits : 0;
      counter = Math.max(counter, d + 1);
    }
  } else {
    mkdirSync(folder, { recursive: true });
  }
  return { folder, filename, counter, subfolder: normalize(subfolder) === "." ? "" : subfolder };
}

export interface SaveOptions {
  readonly type: "output" | "temp";
  readonly compressLevel: number;
  readonly prefixAppend?: string;
}

/** `SaveImage.save_images`: one PNG per batch item with `prompt` and extra_pnginfo text chunks. */
export function saveImages(images: Tensor, prefix: string, ctx: NodeContext, options: SaveOptions) {
  const dir = options.type === "output" ? ctx.dirs.output : ctx.dirs.temp;
  const path = saveImagePath(prefix + (options.prefixAppend ?? ""), dir, dim(images, 2), dim(images, 1));
  const results: Array<{ filename: string; subfolder: string; type: string }> = [];
  const text: Array<[string, string]> = [];
  text.push(["prompt", pyJsonDumps(ctx.prompt)]);
  for (const [key, value] of Object.entries(ctx.extraPngInfo ?? {})) text.push([key, pyJsonDumps(value)]);
  let counter = path.counter;
  for (let b = 0; b < dim(images, 0); b++) {
    const name = path.filename.replaceAll("%batch_num%", String(b));
    const file = `${name}_${String(counter).padStart(5, "0")}_.png`;
    const png = encodePng(imageToPixels(images, b), {
      text,
      compressLevel: options.compressLevel,
      pil: PIL_PNG,
    });
    writeFileSync(join(path.folder, file), png);
    results.push({ filename: file, subfolder: path.subfolder, type: options.type });
    counter++;
  }
  return { ui: { images: results } };
}

const TEMP_LETTERS = "abcdefghijklmnopqrstupvxyz";
/** PreviewImage's `_temp_` + five random letters (ComfyUI's alphabet, with its doubled "p"). */
export function tempSuffix(random = Math.random): string {
  let s = "_temp_";
  for (let i = 0; i < 5; i++) s += TEMP_LETTERS[Math.floor(random() * TEMP_LETTERS.length)];
  return s;
}
