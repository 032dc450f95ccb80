#!/usr/bin/env node
// `npm create comfy-ts [DIR] -- [options]` is `comfy-ts init [DIR] [options]`: the installed comfy-ts
// command (its dist/bin.js, beside the package entry) runs with "init" put before the arguments.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const entry = fileURLToPath(import.meta.resolve("comfy-ts"));
process.argv.splice(2, 0, "init");
await import(pathToFileURL(join(dirname(entry), "bin.js")).href);
