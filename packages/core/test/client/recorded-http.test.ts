// Replays every HTTP answer recorded from a real ComfyUI 0.3.65 through the client method that calls
// that endpoint, read in place from ../shared/fixtures.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, it } from "vitest";
import type { ComfyClient } from "../../src/client/comfy-client.js";
import { ComfyHttpError, ComfyInputError, ComfyValidationError } from "../../src/client/errors.js";
import { mockClient } from "./support/mock-agent.js";

interface Recording {
  request?: { method: string; path: string; json?: Record<string, unknown>; body?: string };
  status: number;
  content_type?: string;
  body: unknown;
}

/** Routes the client does not call (frontend, user data, internal): listed so none is skipped silently. */
const NOT_CLIENT_ROUTES = [
  /^\/$/,
  /^\/settings/,
  /^\/users/,
  /^\/userdata/,
  /^\/v2\/userdata/,
  /^\/internal\//,
  /^\/i18n/,
  /^\/workflow_templates/,
  /^\/experiment\//,
  /^\/no\/such\/route/,
  /^(\/api)?\/interrupt$/,
];

function callFor(rec: Recording): ((client: ComfyClient) => Promise<unknown>) | undefined {
  const { method, path, json } = rec.request!;
  const url = new URL(path, "http://x");
  const p = url.pathname.replace(/^\/api\//, "/");
  const q = url.searchParams;
  if (method === "GET") {
    if (p === "/object_info") return (c) => c.objectInfo();
    if (p.startsWith("/object_info/")) return (c) => c.objectInfoFor(decodeURIComponent(p.slice(13)));
    if (p === "/history")
      return (c) =>
        c.history({
          ...(q.has("max_items") ? { maxItems: Number(q.get("max_items")) } : {}),
          ...(q.has("offset") ? { offset: Number(q.get("offset")) } : {}),
        });
    if (p.startsWith("/history/")) return (c) => c.historyEntry(p.slice(9));
    if (p === "/view")
      return (c) =>
        c.view({
          filename: q.get("filename") ?? "",
          type: q.get("type") ?? "output",
          subfolder: q.get("subfolder") ?? "",
        });
    if (p.startsWith("/view_metadata/")) return (c) => c.viewMetadata(p.slice(15), q.get("filename") ?? "");
    if (p === "/models") return (c) => c.models();
    if (p.startsWith("/models/")) return (c) => c.modelFiles(p.slice(8));
    if (p === "/prompt") return (c) => c.promptQueueInfo();
    if (p === "/queue") return (c) => c.queue();
    if (p === "/system_stats") return (c) => c.systemStats();
    if (p === "/features") return (c) => c.features();
    if (p === "/embeddings") return (c) => c.embeddings();
    if (p === "/extensions") return (c) => c.extensions();
  }
  if (method === "POST") {
    if (p === "/prompt")
      return (c) =>
        c.submit((json?.["prompt"] ?? {}) as never, { promptId: "0b3e9f3c-5d0a-4a57-9a37-6c3a3c1f0001" });
    if (p === "/queue")
      return (c) =>
        json?.["clear"] ? c.clearQueue() : c.deleteFromQueue((json?.["delete"] ?? []) as string[]);
    if (p === "/history")
      return (c) =>
        json?.["clear"] ? c.clearHistory() : c.deleteHistory((json?.["delete"] ?? []) as string[]);
    if (p === "/interrupt") return (c) => c.interrupt(json?.["prompt_id"] as string | undefined);
    if (p === "/free")
      return (c) =>
        c.free({
          unloadModels: Boolean(json?.["unload_models"]),
          freeMemory: Boolean(json?.["free_memory"]),
        });
    if (p === "/upload/image") return (c) => c.uploadImage({ data: new Uint8Array([1]), filename: "x.png" });
  }
  return undefined;
}

function replyBody(rec: Recording): string | Buffer {
  return typeof rec.body === "string" ? rec.body : JSON.stringify(rec.body);
}

async function replay(rec: Recording) {
  const call = callFor(rec)!;
  const apiPrefix = rec.request!.path.startsWith("/api/");
  const { pool, client } = mockClient({ apiPrefix, retry: { retries: 0 } });
  pool
    .intercept({
      path: (p) => new URL(p, "http://x").pathname === new URL(rec.request!.path, "http://x").pathname,
      method: rec.request!.method,
    })
    .reply(rec.status, replyBody(rec), {
      headers: { "content-type": rec.content_type ?? "application/json" },
    })
    .persist();
  return call(client).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

describeWithFixture("recorded HTTP answers of ComfyUI 0.3.65", ["comfyui-0.3.65"], (dir) => {
  const files = ["errors", "http"].flatMap((sub) =>
    readdirSync(join(dir, sub))
      .filter((f) => f.endsWith(".json"))
      .map((f) => join(sub, f)),
  );
  const recordings = files.map(
    (f) => [f, JSON.parse(readFileSync(join(dir, f), "utf8")) as Recording] as const,
  );
  const replayable = recordings.filter(([, r]) => r.request && callFor(r));
  const skipped = recordings.filter(([, r]) => !r.request || !callFor(r));

  it("covers every recording of an endpoint the client implements", () => {
    expect(replayable.length).toBeGreaterThanOrEqual(60);
    for (const [file, rec] of skipped) {
      const path = new URL(rec.request?.path ?? "/", "http://x").pathname;
      expect(
        NOT_CLIENT_ROUTES.some((re) => re.test(path)) || rec.request?.method === "DELETE",
        `${file} ${path} is not replayed`,
      ).toBe(true);
    }
  });

  it.each(replayable.map(([f, r]) => [f, r]))("%s", async (_file, rec) => {
    const outcome = await replay(rec);
    const { method, path } = rec.request!;
    if (rec.status >= 200 && rec.status < 300) {
      expect(outcome.ok, String(!outcome.ok && outcome.error)).toBe(true);
      return;
    }
    if (path.startsWith("/view_metadata")) {
      expect(outcome).toEqual({ ok: true, value: undefined }); // 404 = no metadata
      return;
    }
    expect(outcome.ok).toBe(false);
    const error = !outcome.ok ? outcome.error : undefined;
    if (method === "GET" && path === "/view") {
      expect(error).toBeInstanceOf(ComfyInputError); // no filename: refused before sending
    } else if (method === "POST" && path === "/prompt" && rec.status === 400) {
      expect(error).toBeInstanceOf(ComfyValidationError);
      const v = error as ComfyValidationError;
      const body = rec.body as {
        error: { type: string };
        node_errors: Record<string, { errors: unknown[] }>;
      };
      expect(v.errorType).toBe(body.error.type);
      const count = Object.values(body.node_errors).reduce((n, e) => n + e.errors.length, 0);
      // Node errors, plus the top-level error unless it only summarizes them.
      const top = body.error.type !== "prompt_outputs_failed_validation" || count === 0 ? 1 : 0;
      expect(v.issues.length).toBe(count + top);
      for (const issue of v.issues) if (issue.nodeId) expect(v.message).toContain(`node ${issue.nodeId}`);
    } else {
      expect(error).toBeInstanceOf(ComfyHttpError);
      expect((error as ComfyHttpError).status).toBe(rec.status);
    }
  });
});

describeWithFixture(
  "recorded /object_info as a catalog",
  ["comfyui-0.3.65", "object_info_KSampler.json"],
  (file) => {
    it("keeps the seed bound 2^64-1 exact", async () => {
      const { pool, client } = mockClient();
      pool
        .intercept({ path: "/object_info", method: "GET" })
        .reply(200, readFileSync(file, "utf8"), { headers: { "content-type": "application/json" } });
      const catalog = await client.catalog();
      const seed = catalog.nodes.get("KSampler")?.inputs.find((i) => i.name === "seed") as { max?: unknown };
      expect(seed.max).toBe(18446744073709551615n);
    });
  },
);

describeWithFixture(
  "recorded failing prompts (reference-outputs/errors)",
  ["reference-outputs", "errors"],
  (dir) => {
    const cases = readdirSync(dir).filter((d) => !d.startsWith("."));
    it.each(cases)("%s", async (name) => {
      const prompt = JSON.parse(readFileSync(join(dir, name, "prompt.json"), "utf8")) as { prompt?: unknown };
      const response = JSON.parse(readFileSync(join(dir, name, "response.json"), "utf8")) as Recording;
      const outcome = await replay({
        ...response,
        request: { method: "POST", path: "/prompt", json: prompt as Record<string, unknown> },
      });
      if (response.status === 200) {
        expect(outcome.ok).toBe(true);
      } else if (response.status === 400) {
        expect(!outcome.ok && outcome.error).toBeInstanceOf(ComfyValidationError);
        const v = (!outcome.ok && outcome.error) as ComfyValidationError;
        expect(v.code).toBe("COMFY_VALIDATION");
        const body = response.body as {
          node_errors: Record<string, { errors: { extra_info?: { input_name?: string } }[] }>;
        };
        for (const [nodeId, entry] of Object.entries(body.node_errors)) {
          for (const e of entry.errors) {
            const issue = v.issues.find(
              (i) =>
                i.nodeId === nodeId &&
                (e.extra_info?.input_name === undefined || i.input === e.extra_info.input_name),
            );
            expect(issue, `issue for node ${nodeId}`).toBeDefined();
          }
        }
      } else {
        expect(!outcome.ok && outcome.error).toBeInstanceOf(ComfyHttpError);
      }
    });
  },
);
