#!/usr/bin/env node

const controller = new AbortController();
let interrupts = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort(new Error(`received ${signal}`));
  });
}

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
  signal: controller.signal,
});
process.exitCode = code;
