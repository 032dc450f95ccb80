#!/usr/bin/env node
// The installed `comfy-ts` command. The program is dist/bin.js (built by `pnpm build`); this file exists
// before any build, so package managers can link the command in a fresh workspace checkout.
import("../dist/bin.js").catch((error) => {
  if (error?.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/bin.js")) {
    process.stderr.write(
      "comfy-ts: this checkout is not built. Run `pnpm build`, or `pnpm comfy-ts …` from the repository root.\n",
    );
    process.exit(1);
  }
  throw error;
});
