#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { abortOnInterrupt } from "./interrupt-signal.js";

const signal = abortOnInterrupt({
  on: (name, listener) => process.on(name, listener),
  exit: (code) => process.exit(code),
  stderr: process.stderr,
  now: () => performance.now(),
});

const argv = process.argv.slice(2);
// A one-shot codegen is over (~0.3 s of JavaScript on a 2,000-node catalog) before code optimized by
// TurboFan pays back its compilation, which runs on other threads: without it the run takes a third less
// CPU time. V8 reads this flag whenever it considers optimizing, so setting it here, before any of the
// generator runs, is enough; `--watch` runs long and keeps the optimizer.
if (argv[0] === "codegen" && !argv.includes("--watch")) setFlagsFromString("--no-opt");
// codegen runs on every catalog change and in CI, compare in scripts over many files: load only what they need.
const entry =
  argv[0] === "codegen"
    ? (await import("./codegen-main.js")).codegenMain
    : argv[0] === "compare"
      ? (await import("./compare-main.js")).compareMain
      : (await import("./main.js")).main;
const code = await entry(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal,
});
process.exitCode = code;
