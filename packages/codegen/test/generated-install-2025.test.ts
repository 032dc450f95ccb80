import { readFileSync } from "node:fs";
import { parseCatalogText } from "@comfy-ts/core";
import { describeWithFixture } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { generate } from "../src/index.js";

// The module generated from install-2025-568-nodes.json, kept as file snapshots in
// ./generated/install-2025/ so seed-example.test.ts can import it (typed) even without the fixtures.
describeWithFixture(
  "module generated from install-2025-568-nodes.json (file snapshots)",
  ["object-info", "install-2025-568-nodes.json"],
  (path) => {
    const generated = generate(parseCatalogText(readFileSync(path, "utf8")), {
      regenerateCommand: "pnpm vitest run --project codegen -u generated-install-2025",
    });

    test.each(["nodes.d.ts", "nodes.js", "manifest.json"])("%s is current", async (name) => {
      await expect(generated.files.get(name)).toMatchFileSnapshot(`./generated/install-2025/${name}`);
    });
  },
);
