import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NodeExecutionError } from "../execution/node-impl.js";
import type { Latent } from "../tensor/ops.js";
import { tensor } from "../tensor/tensor.js";
import { pythonTypedPrompt } from "./catalog.js";
import { defineNode, FILES, out, STRING, T } from "./define.js";
import { inputPath } from "./load-image.js";
import { pythonJsonDumps } from "./python-repr.js";
import { saveImagePath } from "./save-image.js";

interface SafetensorEntry {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A safetensors file: u64 header length, JSON header (tensors sorted by name, `__metadata__`), data. */
export function encodeSafetensors(
  tensors: Record<string, SafetensorEntry>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name] as SafetensorEntry;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name] as SafetensorEntry;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Reads the F32 tensors of a safetensors file. */
export function decodeSafetensors(
  bytes: Uint8Array,
): Record<string, { shape: number[]; data: Float32Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString("utf8")) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + length;
  const result: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (entry.dtype !== "F32")
      throw new NodeExecutionError("RuntimeError", `unsupported latent dtype ${entry.dtype}`);
    const slice = bytes.slice(base + entry.data_offsets[0], base + entry.data_offsets[1]);
    result[name] = {
      shape: entry.shape,
      data: new Float32Array(slice.buffer, slice.byteOffset, slice.byteLength / 4),
    };
  }
  return result;
}

export const saveLatent = defineNode(
  {
    name: "SaveLatent",
    category: "_for_testing",
    module: "nodes",
    outputNode: true,
    required: { samples: T("LATENT"), filename_prefix: STRING({ default: "latents/ComfyUI" }) },
    hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
  },
  (inputs, ctx) => {
    const latent = inputs.samples as Latent;
    const path = saveImagePath(String(inputs.filename_prefix), ctx.dirs.output, 0, 0);
    const metadata: Record<string, string> = { prompt: pythonJsonDumps(pythonTypedPrompt(ctx.prompt, ctx)) };
    for (const [k, v] of Object.entries(ctx.extraPngInfo ?? {})) metadata[k] = pythonJsonDumps(v);
    const file = `${path.filename}_${String(path.counter).padStart(5, "0")}_.latent`;
    const bytes = encodeSafetensors(
      {
        latent_tensor: { dtype: "F32", shape: latent.samples.shape, data: latent.samples.data },
        latent_format_version_0: { dtype: "F32", shape: [0], data: new Float32Array(0) },
      },
      metadata,
    );
    writeFileSync(join(path.folder, file), bytes);
    return { ui: { latents: [{ filename: file, subfolder: path.subfolder, type: "output" }] } };
  },
);

/** LoadLatent: a `.latent` file of the input folder (old files without the version key are scaled by 1/0.18215). */
export const loadLatent = defineNode(
  {
    name: "LoadLatent",
    category: "_for_testing",
    module: "nodes",
    required: {
      latent: FILES((env) => env.inputFiles().filter((f) => !f.includes("/") && f.endsWith(".latent"))),
    },
    outputs: [["LATENT"]],
  },
  (inputs, ctx) => {
    const tensors = decodeSafetensors(readFileSync(inputPath(inputs.latent, ctx)));
    const t = tensors.latent_tensor;
    if (!t) throw new NodeExecutionError("KeyError", "'latent_tensor'");
    const multiplier = tensors.latent_format_version_0 ? 1 : 1 / 0.18215;
    return out({
      samples: tensor(
        t.shape,
        t.data.map((v) => Math.fround(v * Math.fround(multiplier))),
      ),
    });
  },
  {
    fingerprint: (literals, ctx) => {
      try {
        return createHash("sha256")
          .update(readFileSync(inputPath(String(literals.latent), ctx)))
          .digest("hex");
      } catch {
        return Number.NaN;
      }
    },
  },
);
