import { compile } from "@comfy-ts/core";
import { describe, expect, it } from "vitest";
import type { ComfyClient } from "../../src/client/comfy-client.js";
import {
  ComfyClientError,
  ComfyConnectionError,
  ComfyHttpError,
  ComfyOutcomeUnknownError,
  ComfyResponseError,
  ComfyTimeoutError,
  ComfyValidationError,
} from "../../src/client/errors.js";
import { backoffDelay, retryAfterMs } from "../../src/client/retry.js";
import { EmptyImage, ImageInvert, SaveImage } from "../support/image-nodes.js";
import { connectionRefused, connectionReset, JSON_HEADERS, mockClient } from "./support/mock-agent.js";

const PROMPT_ID = "3f1c2a6e-6a0b-4a47-9a4e-0d6f3f7b2c11";
const prompt = {
  "1": { class_type: "EmptyImage", inputs: {} },
  "2": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
} as const;
const QUEUE_EMPTY = JSON.stringify({ queue_running: [], queue_pending: [] });

describe("GET retries", () => {
  it("retries 5xx and connection errors, then succeeds", async () => {
    const { pool, client, agent } = mockClient();
    pool.intercept({ path: "/queue", method: "GET" }).reply(500, "boom");
    pool.intercept({ path: "/queue", method: "GET" }).replyWithError(connectionRefused());
    pool.intercept({ path: "/queue", method: "GET" }).reply(503, "busy", { headers: { "retry-after": "0" } });
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, QUEUE_EMPTY, JSON_HEADERS);
    await expect(client.queue()).resolves.toEqual({ queue_running: [], queue_pending: [] });
    agent.assertNoPendingInterceptors();
  });

  it("gives up after `retry.retries` with the last error, typed", async () => {
    const { pool, client } = mockClient({ retry: { retries: 2, initialDelayMs: 1 } });
    pool.intercept({ path: "/system_stats", method: "GET" }).replyWithError(connectionRefused()).times(3);
    const error = await client.systemStats().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect(error).toBeInstanceOf(ComfyClientError);
    expect((error as ComfyConnectionError).code).toBe("COMFY_CONNECTION");
    expect((error as Error).message).toMatch(
      /cannot reach ComfyUI: GET http:\/\/comfy.test:8188\/system_stats failed \(ECONNREFUSED/,
    );
  });

  it.each([400, 403, 404, 413])("never retries %i", async (status) => {
    const { pool, client, agent } = mockClient();
    pool.intercept({ path: "/models/x", method: "GET" }).reply(status, "no").times(1);
    const error = await client.modelFiles("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyHttpError);
    expect(error).toMatchObject({ status, code: "COMFY_HTTP_STATUS", body: "no", method: "GET" });
    agent.assertNoPendingInterceptors();
  });

  it("5xx after the last retry is an HTTP error carrying the body", async () => {
    const { pool, client } = mockClient({ retry: { retries: 1 } });
    pool
      .intercept({ path: "/queue", method: "GET" })
      .reply(500, "500 Internal Server Error\n\nServer got itself in trouble")
      .times(2);
    await expect(client.queue()).rejects.toMatchObject({
      status: 500,
      body: "500 Internal Server Error\n\nServer got itself in trouble",
    });
  });
});

describe("which commands are repeated", () => {
  it.each([
    ["targeted interrupt", (c: ComfyClient) => c.interrupt(PROMPT_ID), "/interrupt", 2],
    ["global interrupt (could stop the next job)", (c: ComfyClient) => c.interrupt(), "/interrupt", 1],
    ["queue delete", (c: ComfyClient) => c.deleteFromQueue([PROMPT_ID]), "/queue", 2],
    ["queue clear (could drop a job queued in between)", (c: ComfyClient) => c.clearQueue(), "/queue", 1],
    ["free", (c: ComfyClient) => c.free({ freeMemory: true }), "/free", 2],
    [
      "upload without overwrite (could store name (1).png)",
      (c: ComfyClient) => c.uploadImage({ data: new Uint8Array([1]), filename: "a.png" }),
      "/upload/image",
      1,
    ],
  ] as const)("%s: tries %i time(s) on 503", async (_, call, path, tries) => {
    const { pool, client } = mockClient({ retry: { retries: 1, initialDelayMs: 1 } });
    let count = 0;
    pool
      .intercept({ path, method: "POST" })
      .reply(() => {
        count++;
        return { statusCode: 503, data: "busy" };
      })
      .times(2);
    await expect(call(client)).rejects.toMatchObject({ status: 503 });
    expect(count).toBe(tries);
  });
});

describe("timeouts", () => {
  it("a slow answer is a timeout error naming the stage", async () => {
    const { pool, client } = mockClient({ timeouts: { request: 30 }, retry: { retries: 0 } });
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, QUEUE_EMPTY, JSON_HEADERS).delay(500);
    const error = await client.queue().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyTimeoutError);
    expect(error).toMatchObject({ stage: "request", timeoutMs: 30, code: "COMFY_TIMEOUT" });
    expect((error as Error).message).toMatch(/timed out after 30 ms in stage "request".*timeouts.request/);
  });

  it("a slow /view is a download timeout", async () => {
    const { pool, client } = mockClient({ timeouts: { download: 30 }, retry: { retries: 0 } });
    pool
      .intercept({ path: (p) => p.startsWith("/view"), method: "GET" })
      .reply(200, "x")
      .delay(500);
    await expect(client.view({ filename: "a.png" })).rejects.toMatchObject({ stage: "download" });
  });

  it("the caller's abort wins over retries and is rethrown as is", async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, QUEUE_EMPTY, JSON_HEADERS).delay(500);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 10);
    await expect(client.queue({ signal: controller.signal })).rejects.toThrow("stop");
  });
});

describe("unexpected answers", () => {
  it.each([
    ["not JSON", "<html>proxy error</html>", /expected JSON, got "<html>proxy error<\/html>"/],
    ["wrong shape", JSON.stringify({ queue_running: "x" }), /queue_running: .*expected array/i],
  ])("%s → ComfyResponseError", async (_, body, message) => {
    const { pool, client } = mockClient();
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, body);
    const error = await client.queue().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyResponseError);
    expect((error as Error).message).toMatch(message);
    expect((error as ComfyResponseError).code).toBe("COMFY_UNEXPECTED_RESPONSE");
  });
});

describe("POST /prompt", () => {
  it("sends prompt, client_id, the chosen prompt_id, extra_data, front, partial_execution_targets; bigint seeds exact", async () => {
    const { pool, client } = mockClient();
    let sent = "";
    pool
      .intercept({
        path: "/prompt",
        method: "POST",
        body: (b: string) => {
          sent = b;
          return true;
        },
      })
      .reply(200, JSON.stringify({ prompt_id: PROMPT_ID, number: 7, node_errors: {} }), JSON_HEADERS);
    const result = await client.submit(
      { "1": { class_type: "ImageAddNoise", inputs: { seed: 18446744073709551615n } } },
      {
        promptId: PROMPT_ID,
        extraData: { extra_pnginfo: { workflow: {} } },
        front: true,
        partialExecutionTargets: ["9"],
      },
    );
    expect(result).toEqual({ promptId: PROMPT_ID, number: 7, recovered: false });
    expect(sent).toContain('"seed":18446744073709551615');
    expect(JSON.parse(sent.replace("18446744073709551615", "0"))).toMatchObject({
      client_id: "test-client",
      prompt_id: PROMPT_ID,
      extra_data: { extra_pnginfo: { workflow: {} } },
      front: true,
      partial_execution_targets: ["9"],
    });
  });

  it("generates a lowercase UUID prompt_id when none is given", async () => {
    const { pool, client } = mockClient();
    let id = "";
    pool
      .intercept({
        path: "/prompt",
        method: "POST",
        body: (b: string) => {
          id = JSON.parse(b).prompt_id;
          return true;
        },
      })
      .reply(
        200,
        (opts) =>
          JSON.stringify({ prompt_id: JSON.parse(String(opts.body)).prompt_id, number: 0, node_errors: {} }),
        JSON_HEADERS,
      );
    const result = await client.submit(prompt as never);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.promptId).toBe(id);
  });

  it("is never retried on 500 (a definite answer)", async () => {
    const { pool, client, agent } = mockClient();
    pool.intercept({ path: "/prompt", method: "POST" }).reply(500, "500 Internal Server Error").times(1);
    await expect(client.submit(prompt as never, { promptId: PROMPT_ID })).rejects.toMatchObject({
      status: 500,
      promptId: PROMPT_ID,
    });
    agent.assertNoPendingInterceptors();
  });

  it("after a lost answer finds its prompt in /queue and does not resubmit", async () => {
    const { pool, client, agent } = mockClient();
    pool
      .intercept({ path: "/prompt", method: "POST" })
      .replyWithError(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }))
      .times(1);
    pool.intercept({ path: `/history/${PROMPT_ID}`, method: "GET" }).reply(200, "{}", JSON_HEADERS);
    pool
      .intercept({ path: "/queue", method: "GET" })
      .reply(
        200,
        JSON.stringify({ queue_running: [], queue_pending: [[12, PROMPT_ID, {}, {}, ["2"]]] }),
        JSON_HEADERS,
      );
    await expect(client.submit(prompt as never, { promptId: PROMPT_ID })).resolves.toEqual({
      promptId: PROMPT_ID,
      number: 12,
      recovered: true,
    });
    agent.assertNoPendingInterceptors();
  });

  it("after a 504 finds its prompt already in /history", async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: "/prompt", method: "POST" }).reply(504, "gateway timeout").times(1);
    pool
      .intercept({ path: `/history/${PROMPT_ID}`, method: "GET" })
      .reply(
        200,
        JSON.stringify({ [PROMPT_ID]: { prompt: [4, PROMPT_ID, {}, {}, ["2"]], outputs: {} } }),
        JSON_HEADERS,
      );
    await expect(client.submit(prompt as never, { promptId: PROMPT_ID })).resolves.toEqual({
      promptId: PROMPT_ID,
      number: 4,
      recovered: true,
    });
  });

  it("after a failure that may have reached the server, looks for the prompt and never sends it again", async () => {
    const { pool, client, agent } = mockClient({ timeouts: { submit: 300 }, pollIntervalMs: 20 });
    pool.intercept({ path: "/prompt", method: "POST" }).replyWithError(connectionReset()).times(1);
    pool
      .intercept({ path: `/history/${PROMPT_ID}`, method: "GET" })
      .reply(200, "{}", JSON_HEADERS)
      .persist();
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, QUEUE_EMPTY, JSON_HEADERS).persist();
    // A second POST would be answered: it must not be made.
    pool
      .intercept({ path: "/prompt", method: "POST" })
      .reply(200, JSON.stringify({ prompt_id: PROMPT_ID, number: 1, node_errors: {} }), JSON_HEADERS);
    const started = performance.now();
    const error = await client.submit(prompt as never, { promptId: PROMPT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyOutcomeUnknownError);
    expect(error).toMatchObject({ code: "COMFY_OUTCOME_UNKNOWN", promptId: PROMPT_ID });
    expect(performance.now() - started).toBeLessThan(300 + 1_000);
    expect(
      agent
        .pendingInterceptors()
        .filter((i) => i.method === "POST")
        .map((i) => i.path),
    ).toEqual(["/prompt"]);
  });

  it("finds a prompt whose answer was lost once the server shows it", async () => {
    const { pool, client } = mockClient({ timeouts: { submit: 2_000 }, pollIntervalMs: 20 });
    pool.intercept({ path: "/prompt", method: "POST" }).replyWithError(connectionReset()).times(1);
    pool
      .intercept({ path: `/history/${PROMPT_ID}`, method: "GET" })
      .reply(200, "{}", JSON_HEADERS)
      .persist();
    pool.intercept({ path: "/queue", method: "GET" }).reply(200, QUEUE_EMPTY, JSON_HEADERS).times(2);
    pool
      .intercept({ path: "/queue", method: "GET" })
      .reply(
        200,
        JSON.stringify({ queue_running: [], queue_pending: [[4, PROMPT_ID, {}, {}, ["3"]]] }),
        JSON_HEADERS,
      );
    await expect(client.submit(prompt as never, { promptId: PROMPT_ID })).resolves.toEqual({
      promptId: PROMPT_ID,
      number: 4,
      recovered: true,
    });
  });

  it("when the search cannot reach the server, it goes on until the submit bound, then outcome unknown", async () => {
    const { pool, client } = mockClient({
      retry: { retries: 1 },
      timeouts: { submit: 250 },
      pollIntervalMs: 20,
    });
    pool.intercept({ path: "/prompt", method: "POST" }).replyWithError(connectionReset()).times(1);
    pool
      .intercept({ path: `/history/${PROMPT_ID}`, method: "GET" })
      .replyWithError(connectionRefused())
      .persist();
    const error = await client.submit(prompt as never, { promptId: PROMPT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyOutcomeUnknownError);
    expect((error as Error).cause).toBeInstanceOf(ComfyConnectionError);
  });

  it("a refused connection never delivered the prompt: it is sent again", async () => {
    const { pool, client } = mockClient();
    pool.intercept({ path: "/prompt", method: "POST" }).replyWithError(connectionRefused()).times(1);
    pool
      .intercept({ path: "/prompt", method: "POST" })
      .reply(200, JSON.stringify({ prompt_id: PROMPT_ID, number: 2, node_errors: {} }), JSON_HEADERS);
    await expect(client.submit(prompt as never, { promptId: PROMPT_ID })).resolves.toEqual({
      promptId: PROMPT_ID,
      number: 2,
      recovered: false,
    });
  });

  it("refused every time: fails naming POST /prompt, without looking for the prompt", async () => {
    const { pool, client, agent } = mockClient();
    pool.intercept({ path: "/prompt", method: "POST" }).replyWithError(connectionRefused()).times(3);
    pool.intercept({ path: `/history/${PROMPT_ID}`, method: "GET" }).reply(200, "{}", JSON_HEADERS);
    const error = await client.submit(prompt as never, { promptId: PROMPT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyConnectionError);
    expect((error as Error).message).toMatch(
      /cannot reach ComfyUI: POST http:\/\/comfy.test:8188\/prompt failed \(ECONNREFUSED/,
    );
    // /history was never asked whether the server has the prompt.
    expect(agent.pendingInterceptors().map((i) => i.path)).toEqual([`/history/${PROMPT_ID}`]);
  });

  it("a 200 that carries node_errors is a validation error, and the partial job is cancelled", async () => {
    const { pool, client, agent } = mockClient();
    const nodeErrors = {
      "5": {
        errors: [
          {
            type: "value_smaller_than_min",
            message: "Value 0 smaller than min of 1",
            details: "width",
            extra_info: { input_name: "width" },
          },
        ],
        dependent_outputs: ["6"],
        class_type: "EmptyImage",
      },
    };
    pool
      .intercept({ path: "/prompt", method: "POST" })
      .reply(200, JSON.stringify({ prompt_id: PROMPT_ID, number: 3, node_errors: nodeErrors }), JSON_HEADERS);
    let deleted: unknown;
    let interrupted: unknown;
    pool
      .intercept({
        path: "/queue",
        method: "POST",
        body: (b: string) => {
          deleted = JSON.parse(b);
          return true;
        },
      })
      .reply(200, "");
    pool
      .intercept({
        path: "/interrupt",
        method: "POST",
        body: (b: string) => {
          interrupted = JSON.parse(b);
          return true;
        },
      })
      .reply(200, "");
    const error = await client.submit(prompt as never, { promptId: PROMPT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(error).toMatchObject({
      queued: true,
      promptId: PROMPT_ID,
      issues: [{ nodeId: "5", input: "width", classType: "EmptyImage" }],
    });
    expect(deleted).toEqual({ delete: [PROMPT_ID] });
    expect(interrupted).toEqual({ prompt_id: PROMPT_ID });
    agent.assertNoPendingInterceptors();
  });

  it("maps node_errors to the file:line where each node was created", async () => {
    const { pool, client } = mockClient();
    const image = EmptyImage({ width: 0 }); // line A
    const compiled = compile(SaveImage({ images: ImageInvert({ image }) }));
    const emptyId = Object.keys(compiled).find((id) => compiled[id]!.class_type === "EmptyImage")!;
    pool.intercept({ path: "/prompt", method: "POST" }).reply(
      400,
      JSON.stringify({
        error: {
          type: "prompt_outputs_failed_validation",
          message: "Prompt outputs failed validation",
          details: "",
          extra_info: {},
        },
        node_errors: {
          [emptyId]: {
            errors: [
              {
                type: "value_smaller_than_min",
                message: "Value 0 smaller than min of 1",
                details: "width",
                extra_info: { input_name: "width", input_config: ["INT", { min: 1 }], received_value: 0 },
              },
            ],
            dependent_outputs: ["3"],
            class_type: "EmptyImage",
          },
        },
      }),
      JSON_HEADERS,
    );
    const error = (await client.submit(compiled).catch((e: unknown) => e)) as ComfyValidationError;
    expect(error).toBeInstanceOf(ComfyValidationError);
    const [issue] = error.issues;
    expect(issue).toMatchObject({
      nodeId: emptyId,
      classType: "EmptyImage",
      input: "width",
      type: "value_smaller_than_min",
    });
    expect(issue?.location?.file).toMatch(/packages\/core\/test\/client\/errors-and-retries\.test\.ts$/);
    expect(error.message).toMatch(
      new RegExp(
        `node ${emptyId} \\(EmptyImage\\) input "width" at \\S*errors-and-retries\\.test\\.ts:\\d+:\\d+: Value 0 smaller than min of 1 \\[value_smaller_than_min\\]`,
      ),
    );
  });
});

describe("backoff", () => {
  it("grows exponentially, is capped, and is jittered within [d/2, d]", () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, options, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect([1, 2, 3].map((a) => backoffDelay(a, options, () => 0))).toEqual([50, 100, 200]);
  });

  it.each([
    ["3", 3000],
    ["0", 0],
    [undefined, undefined],
    ["garbage", undefined],
  ])("Retry-After %s → %s ms", (header, ms) => {
    expect(retryAfterMs(header)).toBe(ms);
  });

  it("Retry-After as an HTTP date", () => {
    expect(retryAfterMs(new Date(10_000).toUTCString(), 7_000)).toBe(3_000);
  });
});

describe("0.26-era and old answers", () => {
  it.each([
    [
      "missing_node_type (since 2026-01)",
      {
        error: {
          type: "missing_node_type",
          message: "Node 'Fancy' not found. The custom node may not be installed.",
          details: "Node ID '#2'",
          extra_info: { node_id: "2", class_type: "Fancy", node_title: "Fancy" },
        },
        node_errors: {},
      },
      { errorType: "missing_node_type", issues: [{ nodeId: "2", classType: "SaveImage" }] },
    ],
    [
      "invalid_prompt_id (since 2026-06)",
      {
        error: {
          type: "invalid_prompt_id",
          message: "prompt_id must be a valid UUID",
          details: "",
          extra_info: {},
        },
        node_errors: {},
      },
      { errorType: "invalid_prompt_id", issues: [{ type: "invalid_prompt_id", nodeId: undefined }] },
    ],
    [
      "string error of servers before 2025-04",
      { error: "no prompt", node_errors: [] },
      { errorType: "no_prompt", issues: [{ type: "no_prompt" }] },
    ],
  ])("%s → ComfyValidationError", async (_, body, want) => {
    const { pool, client } = mockClient();
    pool.intercept({ path: "/prompt", method: "POST" }).reply(400, JSON.stringify(body), JSON_HEADERS);
    const error = await client.submit(prompt as never, { promptId: PROMPT_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComfyValidationError);
    expect(error).toMatchObject({ ...want, queued: false, code: "COMFY_VALIDATION" });
  });
});
