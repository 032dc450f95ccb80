import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pyJsonDumps } from "@comfy-ts/core/python";
import { decodeSafetensors, encodeSafetensors } from "@comfy-ts/media";
import { NodeExecutionError } from "../../execution/node-impl.js";
import { annotatedInputPath as inputPath } from "../../files/safe-path.js";
import { saveImagePath } from "../../files/save-images.js";
import { tensor } from "../../tensor/tensor.js";
import { defineNode, FILES, out, STRING, T } from "../define.js";

// nodes.py

const saveLatent = defineNode(
  {
    name: "SaveLatent",
    category: "_for_testing",
    module: "nodes",
    outputNode: true,
    required: { samples: T("LATENT"), filename_prefix: STRING({ default: "latents/ComfyUI" }) },
    hidden: { prompt: "PROMPT", extra_pnginfo: "EXTRA_PNGINFO" },
  },
  (inputs, ctx) => {
    const latent = inputs.samples;
    const path = saveImagePath(inputs.filename_prefix, ctx.dirs.output, 0, 0);
    const metadata: Record<string, string> = { prompt: pyJsonDumps(ctx.prompt) };
    for (const [k, v] of Object.entries(ctx.extraPngInfo ?? {})) metadata[k] = pyJsonDumps(v);
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
const loadLatent = defineNode(
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
    const { tensors } = decodeSafetensors(readFileSync(inputPath(inputs.latent, ctx)));
    const t = tensors.get("latent_tensor");
    if (!t) throw new NodeExecutionError("KeyError", "'latent_tensor'");
    const multiplier = Math.fround(tensors.has("latent_format_version_0") ? 1 : 1 / 0.18215);
    // `.float() * multiplier`: any dtype to float32, then a float32 product.
    return out({
      samples: tensor(
        t.shape,
        Float32Array.from(t.values(), (v) => Math.fround(v) * multiplier),
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

export const nodes = [saveLatent, loadLatent];
