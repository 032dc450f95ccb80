import { compile, stringifyPrompt } from "@comfy-ts/core";
import { describe, expect, test } from "vitest";
import { BatchImages, ComfySwitchNode, nodes, SaveAudio, Sockets, Widgets } from "./generated/kinds/nodes.js";
import { kindsCatalog } from "./support/kinds-catalog.js";

// The generated runtime (the file snapshot nodes.js) compiles to the keys and values ComfyUI expects.
describe("generated runtime of the hand-written catalog", () => {
  test("the lookup has every class_type of the catalog", () => {
    expect(Object.keys(nodes).sort()).toEqual(Object.keys(kindsCatalog).sort());
  });

  test("required widget defaults are filled in, in server order; bigint seeds keep their digits", () => {
    const prompt = compile({ out: SaveAudio({ audio: node0(), format: "mp3", "format.quality": "320k" }) });
    expect(prompt["2"]).toEqual({
      class_type: "SaveAudio",
      inputs: { audio: ["1", 0], filename_prefix: "audio/ComfyUI", format: "mp3", "format.quality": "320k" },
    });
    const seeded = compile([Widgets({ width: 64, text: "t", seed: 18446744073709551615n })]);
    expect(stringifyPrompt(seeded)).toBe(
      '{"1":{"inputs":{"seed":18446744073709551615,"steps":20,"width":64,"cfg":8,"text":"t","enabled":true},"class_type":"Widgets"}}',
    );
  });

  test("autogrow entries, matchtype links and outputs by name and index compile to the right slots", () => {
    const image = Widgets({ width: 1, text: "" });
    const switched = ComfySwitchNode({ switch: true, on_false: image, on_true: image });
    const sockets = Sockets({
      image: switched,
      anything: switched,
      value: 1,
      custom: switched,
      count: image,
    });
    const batch = BatchImages({ "images.image_1": sockets.IMAGE_2, "images.image_2": sockets[2] });
    const prompt = compile([batch]);
    expect(prompt["4"]).toEqual({
      class_type: "BatchImages",
      inputs: { "images.image_1": ["3", 2], "images.image_2": ["3", 2] },
    });
    expect(prompt["3"]!.inputs).toEqual({
      image: ["2", 0],
      anything: ["2", 0],
      value: 1,
      custom: ["2", 0],
      count: ["1", 0],
      width: 512,
    });
  });
});

function node0() {
  return Widgets({ width: 8, text: "" }) as never;
}
