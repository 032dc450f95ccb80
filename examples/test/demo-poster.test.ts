// The pipeline the README's first command runs (`pnpm demo`): it must keep producing the reviewed images.
import { comfyTest as test } from "@comfy-ts/testing";
import { poster } from "../src/pipelines/poster.js";

test("the README's demo poster matches its golden", async ({ comfy, expect }) => {
  const result = await comfy.run(poster);
  expect(result.cachedNodes).toEqual([]);
  await expect(result.image("poster")).toMatchGolden("poster");
  await expect(result.image("mask")).toMatchGolden("poster-mask");
});
