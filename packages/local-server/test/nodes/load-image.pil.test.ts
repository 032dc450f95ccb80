import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  describeWithPython,
  type PilImageCase,
  pilImageCases,
  runPython,
  sharedFixture,
} from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import type { Tensor } from "../../src/tensor/tensor.js";
import { run, testContext } from "./run-node.js";

interface Encoded {
  shape: number[];
  data: string;
}
interface Reference {
  path: string;
  image?: Encoded;
  mask?: Encoded;
  masks?: Record<string, Encoded>;
  error?: { type: string; message: string };
}

const floats = (e: Encoded) => {
  const b = Buffer.from(e.data, "base64");
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
};

/** Bitwise comparison of a float32 tensor with the reference: first differing index and values. */
function difference(actual: Tensor, expected: Encoded): string | undefined {
  if (actual.shape.join("×") !== expected.shape.join("×")) {
    return `shape ${actual.shape.join("×")}, expected ${expected.shape.join("×")}`;
  }
  const want = floats(expected);
  let count = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++) {
    if (Object.is(actual.data[i], want[i])) continue;
    if (first < 0) first = i;
    count++;
  }
  return count === 0
    ? undefined
    : `${count} values differ (first at ${first}: ${actual.data[first]} vs ${want[first]})`;
}

// LoadImage and LoadImageMask (every channel) on files of every format and form PIL writes — and on
// the recorded corpus inputs — must give ComfyUI's exact float32 tensors, computed by the node bodies
// of ComfyUI 0.3.65 on Debian's PIL 9.4 (EXIF transposition, mode conversions, 1 − alpha and 64×64
// zero masks, frames of animations as a batch).
describeWithPython("LoadImage / LoadImageMask equal ComfyUI on PIL 9.4", ["PIL", "numpy"], (python) => {
  const ctx = testContext();
  mkdirSync(ctx.dirs.input, { recursive: true });
  const files: Array<{ name: string; label: string }> = [];
  const generated: PilImageCase[] = pilImageCases(python);
  for (const [i, c] of generated.entries()) {
    const name = `case${i}.${c.name.split(" ")[0]}`;
    writeFileSync(join(ctx.dirs.input, name), Buffer.from(c.file, "base64"));
    files.push({ name, label: c.name });
  }
  for (const corpus of [
    ["reference-outputs-media", "inputs"],
    ["reference-outputs", "inputs"],
  ]) {
    const dir = sharedFixture(...corpus);
    if (!dir) continue;
    for (const file of readdirSync(dir).filter((f) => /\.(png|jpe?g|webp|gif|bmp|tiff?)$/.test(f))) {
      const name = `${corpus[0]}-${file}`;
      writeFileSync(join(ctx.dirs.input, name), readFileSync(join(dir, file)));
      files.push({ name, label: `${corpus[0]}/inputs/${file}` });
    }
  }
  const script = readFileSync(new URL("./load_image_reference.py", import.meta.url), "utf8");
  const references = new Map<string, Reference>(
    runPython(python, script, JSON.stringify(files.map((f) => join(ctx.dirs.input, f.name))))
      .toString("utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const r = JSON.parse(l) as Reference;
        return [r.path, r];
      }),
  );

  test.each(files.map((f) => [f.label, f.name] as const))("%s", async (_label, name) => {
    const reference = references.get(join(ctx.dirs.input, name));
    if (reference?.error) {
      // A file ComfyUI cannot load either: the same Python exception type.
      const failure = await run("LoadImage", { image: name }, ctx).catch((e: unknown) => e);
      expect(failure).toMatchObject({ exceptionType: reference.error.type });
      return;
    }
    const [image, mask] = (await run("LoadImage", { image: name }, ctx)).outputs as [Tensor, Tensor];
    expect(difference(image, reference!.image!), "IMAGE").toBeUndefined();
    expect(difference(mask, reference!.mask!), "MASK").toBeUndefined();
    for (const channel of ["alpha", "red", "green", "blue"]) {
      const [m] = (await run("LoadImageMask", { image: name, channel }, ctx)).outputs as [Tensor];
      expect(difference(m, reference!.masks![channel]!), `LoadImageMask ${channel}`).toBeUndefined();
    }
  });
});
