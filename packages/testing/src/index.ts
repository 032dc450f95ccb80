/**
 * `@comfy-ts/testing`: golden-image tests for ComfyUI pipelines on vitest. Importing it registers
 * `expect(...).toMatchGolden()`; `comfyTest` / `createComfyTest()` give tests a `comfy` fixture.
 */
import "./matcher/to-match-golden.js";

export { type ComfyFixture, comfyTest, createComfyTest } from "./fixtures/comfy-test.js";
export * from "./harness.js";
export { installGoldenMatcher } from "./matcher/to-match-golden.js";
export * from "./node.js";
