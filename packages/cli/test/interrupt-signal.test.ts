import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { abortOnInterrupt } from "../src/interrupt-signal.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const exit = vi.fn();
  const written: string[] = [];
  let now = 1_000;
  return {
    emitter,
    exit,
    written,
    advance: (ms: number) => {
      now += ms;
    },
    options: {
      on: (signal: NodeJS.Signals, listener: () => void) => emitter.on(signal, listener),
      exit: exit as unknown as (code: number) => never,
      stderr: { write: (text: string) => written.push(text) },
      now: () => now,
    },
  };
}

describe("abortOnInterrupt", () => {
  it("aborts on the first SIGINT or SIGTERM, naming it", () => {
    const p = fakeProcess();
    const signal = abortOnInterrupt(p.options);
    expect(signal.aborted).toBe(false);
    p.emitter.emit("SIGTERM");
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toMatch(/SIGTERM/);
    expect(p.exit).not.toHaveBeenCalled();
  });

  it("ignores the same Ctrl-C arriving again within the grace time (terminal group + a wrapper's relay)", () => {
    const p = fakeProcess();
    abortOnInterrupt({ ...p.options, graceMs: 2_000 });
    p.emitter.emit("SIGINT");
    p.advance(5);
    p.emitter.emit("SIGINT");
    p.advance(1_500);
    p.emitter.emit("SIGINT");
    expect(p.exit).not.toHaveBeenCalled();
    expect(p.written).toEqual([]);
  });

  it("exits at once (130) on a Ctrl-C after the grace time, saying the server may still have the job", () => {
    const p = fakeProcess();
    abortOnInterrupt({ ...p.options, graceMs: 2_000 });
    p.emitter.emit("SIGINT");
    p.advance(2_001);
    p.emitter.emit("SIGINT");
    expect(p.exit).toHaveBeenCalledWith(130);
    expect(p.written.join("")).toMatch(/interrupted again.*may still/);
  });
});
