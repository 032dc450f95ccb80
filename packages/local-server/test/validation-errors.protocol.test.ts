import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { uploadReferenceInputs } from "./support/reference-cases.js";

interface Recorded {
  request: { method: string; path: string; json?: unknown; body?: string };
  status: number;
  content_type: string;
  body: unknown;
}

/** Replays every recorded `POST /prompt` error of the 0.3.65 server and compares status and body. */
describeWithFixture(
  "POST /prompt errors as recorded from ComfyUI 0.3.65",
  ["comfyui-0.3.65", "errors"],
  (dir) => {
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => [f, JSON.parse(readFileSync(join(dir, f), "utf8")) as Recorded] as const)
      .filter(([, rec]) => rec.request.method === "POST" && rec.request.path === "/prompt");
    let server: LocalServer;
    beforeAll(async () => {
      server = await startLocalServer();
      // The files the recorded prompts name (corrupt.png, ts_upload.png, …).
      await uploadReferenceInputs(server.url, join(dir, "..", "inputs"));
    });
    afterAll(() => server?.close());

    it("has the recorded cases", () => expect(cases.length).toBeGreaterThanOrEqual(15));

    it.each(cases)("%s", async (_file, rec) => {
      const body = rec.request.body ?? JSON.stringify(rec.request.json);
      const res = await fetch(`${server.url}/prompt`, { method: "POST", body });
      expect(res.status).toBe(rec.status);
      if (rec.status === 500) {
        expect(res.headers.get("content-type")).toBe(rec.content_type);
        expect(await res.text()).toBe(rec.body);
        return;
      }
      const json = (await res.json()) as Record<string, unknown>;
      if (rec.status === 200) {
        // Accepted (runtime failures): same answer shape; the ids differ.
        expect(Object.keys(json).sort()).toEqual(Object.keys(rec.body as object).sort());
        return;
      }
      expect(json).toEqual(rec.body);
    });
  },
);
