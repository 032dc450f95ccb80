#!/usr/bin/env node
import { abortOnInterrupt } from "./interrupt-signal.js";

const signal = abortOnInterrupt({
  on: (name, listener) => process.on(name, listener),
  exit: (code) => process.exit(code),
  stderr: process.stderr,
  now: () => performance.now(),
});

const argv = process.argv.slice(2);
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
