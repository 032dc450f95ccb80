import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile, workflow } from "@comfy-ts/core";
import { sharedFixture } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import { assertValidPrompt, ValidationError, validatePrompt } from "../../src/validation/index.js";
import { EmptyImage, ImageAddNoise, ImageInvert, SaveImage } from "../support/image-nodes.js";

// End to end as a user runs it: a pipeline written in TypeScript, compiled, validated against the
// real 0.3.65 catalog; each problem points at the line that made the node.
const catalogFile = sharedFixture("object-info", "comfyui-0.3.65-cpu.json");
const thisFile = fileURLToPath(import.meta.url);
const lineOf = (marker: string) =>
  readFileSync(thisFile, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(marker)) + 1;

const pipeline = workflow(({ width = 64, seed = 42n }) => {
  const image = EmptyImage({ width, height: 48 }); // @empty-image
  const noisy = ImageAddNoise({ image: ImageInvert({ image }), seed, strength: 0.5 }); // @add-noise
  return { out: SaveImage({ images: noisy, filename_prefix: "e2e" }) };
});

describe.skipIf(!catalogFile)(
  `compiled prompts${catalogFile ? "" : " [skipped: ../shared/fixtures not found]"}`,
  () => {
    const catalog = catalogFile ? parseCatalogText(readFileSync(catalogFile, "utf8")) : undefined;

    test("a valid pipeline passes, seeds beyond 2^53 included", () => {
      const result = assertValidPrompt(compile(pipeline({ seed: 18446744073709551615n })), catalog!);
      expect(result.outputs).toHaveLength(1);
    });

    test("problems name node, input and file:line of the author's code", () => {
      const prompt = compile(pipeline({ width: 100_000, seed: -1n }));
      const result = validatePrompt(prompt, catalog!);
      expect(result.status).toBe(400);
      const at = (i: number) => result.issues[i]?.location;
      expect(result.issues.map((i) => [i.classType, i.input, i.type])).toEqual([
        ["EmptyImage", "width", "value_bigger_than_max"],
        ["ImageAddNoise", "seed", "value_smaller_than_min"],
      ]);
      expect(at(0)).toMatchObject({
        file: expect.stringMatching(/compiled-prompt\.test\.ts$/),
        line: lineOf("// @empty-image"),
      });
      expect(at(1)).toMatchObject({ line: lineOf("// @add-noise") });
      const error = ValidationError.fromResult(result);
      expect(error.message.split("\n")[1]).toMatch(
        new RegExp(
          `^ {2}node \\d+ \\(EmptyImage\\) input "width" at .*compiled-prompt\\.test\\.ts:${lineOf("// @empty-image")}:\\d+: Value 100000 bigger than max of 16384$`,
        ),
      );
    });

    test("a server's answer for the same prompt points at the same lines", () => {
      const prompt = compile(pipeline({ width: 0 }));
      const serverBody = validatePrompt(structuredClone(prompt), catalog!); // a plain copy: no origins
      expect(serverBody.issues[0]?.location).toBeUndefined();
      const error = ValidationError.fromComfyBody(
        { error: serverBody.error, node_errors: serverBody.nodeErrors },
        { prompt },
      );
      expect(error.issues[0]?.location?.line).toBe(lineOf("// @empty-image"));
    });
  },
);
