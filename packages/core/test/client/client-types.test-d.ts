import { type ApiPrompt, workflow } from "@comfy-ts/core";
import {
  ComfyClient,
  type ComfyEvent,
  parseTextFrame,
  type RunProgressEvent,
  type RunResult,
  type TimeoutStage,
} from "@comfy-ts/core/client";
import { describe, expectTypeOf, it } from "vitest";
import { EmptyImage, SaveImage } from "../support/image-nodes.js";

const client = new ComfyClient({ baseUrl: "http://127.0.0.1:8188" });

describe("client types", () => {
  it("run() takes prompts, workflows, graphs and output nodes; resolves to RunResult", () => {
    const prompt: ApiPrompt = { "1": { class_type: "EmptyImage", inputs: {} } };
    const flow = workflow(() => ({ out: SaveImage({ images: EmptyImage({}) }) }));
    expectTypeOf(client.run(prompt)).toEqualTypeOf<Promise<RunResult>>();
    expectTypeOf(client.run(flow)).toEqualTypeOf<Promise<RunResult>>();
    expectTypeOf(client.run(flow())).toEqualTypeOf<Promise<RunResult>>();
    expectTypeOf(client.run(SaveImage({ images: EmptyImage({}) }))).toEqualTypeOf<Promise<RunResult>>();
    // @ts-expect-error a number is not a graph
    void client.run(42);
    // @ts-expect-error unknown option
    void client.run(prompt, { retries: 3 });
  });

  it("results and events are typed", () => {
    expectTypeOf<RunResult["images"][number]["bytes"]>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<RunResult["nodes"][string]>().toEqualTypeOf<"executed" | "cached">();
    expectTypeOf<Extract<RunProgressEvent, { type: "step" }>["max"]>().toEqualTypeOf<number>();
    const event = parseTextFrame("{}") as ComfyEvent;
    if (event.type === "executing") expectTypeOf(event.data.node).toEqualTypeOf<string | null>();
    if (event.type === "execution_error") expectTypeOf(event.data.traceback).toEqualTypeOf<string[]>();
    if (event.type === "preview_image") expectTypeOf(event.image).toEqualTypeOf<Uint8Array>();
    expectTypeOf<TimeoutStage>().toEqualTypeOf<
      "connect" | "request" | "submit" | "queue" | "execution" | "download" | "interrupt"
    >();
  });

  it("options are checked", () => {
    // @ts-expect-error auth needs a known type
    void new ComfyClient({ baseUrl: "http://x", auth: { type: "digest", token: "t" } });
    // @ts-expect-error forceExecution modes are a closed set
    void client.run({}, { forceExecution: "always" });
    expectTypeOf(client.view({ filename: "a.png" })).toEqualTypeOf<Promise<Uint8Array>>();
  });
});
