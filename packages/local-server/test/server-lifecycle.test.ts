import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../src/index.js";
import { postJson } from "./support/http.js";
import { testNodes } from "./support/test-nodes.js";
import { WsRecorder } from "./support/ws-recorder.js";

describe("startLocalServer / close", () => {
  it("makes temporary folders, answers on a free port, and deletes the folders on close", async () => {
    const server = await startLocalServer({ nodes: testNodes() });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    for (const dir of Object.values(server.dirs)) expect(existsSync(dir)).toBe(true);
    expect((await fetch(`${server.url}/prompt`)).status).toBe(200);
    await server.close();
    for (const dir of Object.values(server.dirs)) expect(existsSync(dir)).toBe(false);
    await expect(fetch(`${server.url}/prompt`)).rejects.toThrow();
    await server.close(); // idempotent
  });

  it("keeps folders it was given", async () => {
    const base = await mkdtemp(join(tmpdir(), "lifecycle-"));
    try {
      const server = await startLocalServer({
        nodes: testNodes(),
        inputDir: join(base, "in"),
        outputDir: join(base, "out"),
      });
      expect(server.dirs.input).toBe(join(base, "in"));
      await server.close();
      expect(existsSync(join(base, "in"))).toBe(true);
      expect(existsSync(join(base, "out"))).toBe(true);
      expect(existsSync(server.dirs.temp)).toBe(false);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it("runs several servers side by side", async () => {
    const [a, b] = await Promise.all([
      startLocalServer({ nodes: testNodes() }),
      startLocalServer({ nodes: testNodes() }),
    ]);
    expect(a.port).not.toBe(b.port);
    await Promise.all([a.close(), b.close()]);
  });

  it("rejects with EADDRINUSE when the port is taken", async () => {
    const a = await startLocalServer({ nodes: testNodes() });
    // A private TMPDIR shows whether the failed start left its temporary folders behind.
    const privateTmp = await mkdtemp(join(tmpdir(), "lifecycle-tmp-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await expect(startLocalServer({ nodes: testNodes(), port: a.port })).rejects.toMatchObject({
        code: "EADDRINUSE",
      });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(await readdir(privateTmp), "temporary folders left behind by the failed start").toEqual([]);
    await rm(privateTmp, { recursive: true, force: true });
    await a.close();
  });

  it.each([-1, 1.5, Number.NaN])("rejects maxHistory %s with a RangeError", async (maxHistory) => {
    await expect(startLocalServer({ nodes: testNodes(), maxHistory })).rejects.toThrow(
      new RangeError(`startLocalServer: maxHistory must be an integer ≥ 0, got ${maxHistory}`),
    );
  });

  it("leaves no temporary folders behind when a duplicate node class or a blocked folder stops the start", async () => {
    const privateTmp = await mkdtemp(join(tmpdir(), "lifecycle-tmp-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      const nodes = testNodes();
      await expect(startLocalServer({ nodes: [...nodes, nodes[0]!] })).rejects.toMatchObject({
        code: "ERR_DUPLICATE_NODE",
      });
      // A file where the input folder should be: the output/temp base made before it must go.
      const blocker = join(privateTmp, "a-file");
      await writeFile(blocker, "");
      await expect(startLocalServer({ nodes, inputDir: blocker })).rejects.toMatchObject({
        code: "EEXIST",
      });
      expect(await readdir(privateTmp), "temporary folders left behind").toEqual(["a-file"]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });

  it("closes promptly while a job is running (the job is interrupted)", async () => {
    const server = await startLocalServer({ nodes: testNodes() });
    const ws = await WsRecorder.connect(server.url, "closing");
    await postJson(`${server.url}/prompt`, {
      client_id: "closing",
      prompt: {
        "1": { class_type: "TestNumber", inputs: { value: 1 } },
        "2": { class_type: "TestSlow", inputs: { value: ["1", 0], steps: 500 } },
        "3": { class_type: "TestOutput", inputs: { value: ["2", 0] } },
      },
    });
    await ws.waitFor((f) => f.kind === "text" && f.type === "progress");
    const started = performance.now();
    await server.close();
    // 500 steps of 10 ms would take 5 s; the interrupt stops it at the next step.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
