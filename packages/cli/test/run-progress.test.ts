import { PassThrough } from "node:stream";
import type { RunProgressEvent } from "@comfy-ts/core/client";
import { describe, expect, it } from "vitest";
import { colorsFor } from "../src/colors.js";
import { ProgressReporter, type ReportMode } from "../src/run/progress-reporter.js";

const ESC = String.fromCharCode(27);
const P = "11111111-2222-4333-8444-555555555555";
const EVENTS: RunProgressEvent[] = [
  { type: "submitted", promptId: P, number: 3, nodeCount: 3 },
  { type: "started", promptId: P },
  { type: "cached", promptId: P, nodes: ["1"] },
  { type: "node", promptId: P, nodeId: "2", classType: "KSampler" },
  ...Array.from(
    { length: 8 },
    (_, i): RunProgressEvent => ({ type: "step", promptId: P, nodeId: "2", value: i + 1, max: 8 }),
  ),
  { type: "preview", promptId: P, nodeId: "2", mimeType: "image/jpeg", image: new Uint8Array(5) },
  { type: "text", promptId: P, nodeId: "2", text: "sampling done" },
  { type: "node", promptId: P, nodeId: "3", classType: "SaveImage" },
  { type: "executed", promptId: P, nodeId: "3", output: { images: [] } },
  {
    type: "connection",
    promptId: P,
    state: "reconnecting",
    attempt: 1,
    reason: "WebSocket closed (code 1006)",
  },
  { type: "connection", promptId: P, state: "reconnecting", attempt: 2, reason: "connect ECONNREFUSED" },
  { type: "connection", promptId: P, state: "failed", attempt: 2 },
  { type: "done", promptId: P, via: "websocket" },
];

function render(mode: ReportMode, env: NodeJS.ProcessEnv = {}, columns = 60) {
  const out = Object.assign(new PassThrough(), { isTTY: false });
  const err = Object.assign(new PassThrough(), { isTTY: mode === "tty", columns });
  let o = "";
  let e = "";
  out.on("data", (d) => {
    o += String(d);
  });
  err.on("data", (d) => {
    e += String(d);
  });
  const reporter = new ProgressReporter(mode, out, err, colorsFor(err, env));
  for (const event of EVENTS) reporter.onProgress(event);
  reporter.clear();
  return { out: o, err: e };
}

describe("ProgressReporter", () => {
  it("plain: one line per node, steps by quarter, texts, one line when the socket drops", () => {
    const { out, err } = render("plain");
    expect(out).toBe("");
    expect(err).toBe(
      [
        `queued prompt ${P} (3 nodes)`,
        "started",
        "cached: 1",
        "node 2 (KSampler)",
        "  step 1/8",
        "  step 2/8",
        "  step 4/8",
        "  step 6/8",
        "  step 8/8",
        "  2: sampling done",
        "node 3 (SaveImage)",
        "connection lost mid-job: WebSocket closed (code 1006); following the job by polling /history while it reconnects",
        "",
      ].join("\n"),
    );
  });

  it("json: every event on stdout, previews as a byte count", () => {
    const { out, err } = render("json");
    expect(err).toBe("");
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(EVENTS.length);
    expect(lines[0]).toEqual({ event: "submitted", promptId: P, number: 3, nodeCount: 3 });
    expect(lines.find((l) => l["event"] === "preview")).toEqual({
      event: "preview",
      promptId: P,
      nodeId: "2",
      mimeType: "image/jpeg",
      bytes: 5,
    });
  });

  it("a socket unavailable from the start: its reason, in one line", () => {
    const err = Object.assign(new PassThrough(), { isTTY: false });
    let e = "";
    err.on("data", (d) => {
      e += String(d);
    });
    const reporter = new ProgressReporter("plain", new PassThrough(), err, colorsFor(err, {}));
    for (const state of ["polling", "open", "reconnecting", "failed"] as const)
      reporter.onProgress({
        type: "connection",
        promptId: P,
        state,
        attempt: 0,
        ...(state === "polling" ? { reason: "WebSocket unavailable (cannot open ws://h/ws)" } : {}),
      });
    expect(e).toBe("WebSocket unavailable (cannot open ws://h/ws): following the job by polling /history\n");
  });

  it("tty: a bar redrawn in place, cut to the terminal width, cleared at the end", () => {
    const { err } = render("tty");
    expect(err).toContain(`\r${ESC}[2K[#######-------------] 1/3 nodes | 2 KSampler | step 4/8`);
    const narrow = render("tty", {}, 30).err;
    const bars = narrow.split("\r").filter((f) => f.startsWith(`${ESC}[2K[`));
    expect(bars.length).toBeGreaterThan(5);
    for (const bar of bars) expect(bar.slice(`${ESC}[2K`.length).length).toBeLessThanOrEqual(29);
    expect(err.endsWith(`\r${ESC}[2K`)).toBe(true);
  });

  it.each([
    [{}, false, false],
    [{}, true, true],
    [{ NO_COLOR: "1" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "1", NO_COLOR: "1" }, false, false],
    [{ TERM: "dumb" }, true, false],
    [{ TERM: "dumb", FORCE_COLOR: "1" }, true, true],
  ])("colors with env %j, tty %s → %s", (env, tty, on) => {
    const stream = Object.assign(new PassThrough(), { isTTY: tty });
    expect(colorsFor(stream, env).green("x") !== "x").toBe(on);
  });
});
