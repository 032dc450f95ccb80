import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture, sharedFixture } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { parseCatalogText } from "../../src/catalog/index.js";
import type { ApiPrompt } from "../../src/compile/api-prompt.js";
import { formatIssue, validatePrompt } from "../../src/validation/index.js";

// Real API-format workflows from public repositories, validated against whichever real catalog has
// all their classes (model-file combos of those machines differ, so value_not_in_list is expected).
describeWithFixture("validation of real API workflows", ["workflows", "api"], (dir) => {
  test("every workflow validates without throwing, and every problem reads as a sentence", () => {
    const catalogDir = sharedFixture("object-info")!;
    const catalogs = readdirSync(catalogDir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => ({ name: f, catalog: parseCatalogText(readFileSync(join(catalogDir, f), "utf8")) }));
    const tally: Record<string, number> = {};
    let covered = 0;
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    for (const file of files) {
      const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as { prompt?: ApiPrompt } & ApiPrompt;
      const prompt = (json.prompt ?? json) as ApiPrompt;
      const classes = Object.values(prompt).map((n) => n.class_type);
      const full = catalogs.find((c) => classes.every((k) => c.catalog.nodes.has(k)));
      if (full) covered++;
      const match = full ?? catalogs[0]!;
      const result = validatePrompt(prompt, match.catalog);
      expect([200, 400], file).toContain(result.status);
      if (!full) expect(result.error?.type, file).toBe("invalid_prompt");
      for (const id of Object.keys(result.nodeErrors))
        expect(Object.hasOwn(prompt, id), `${file} node ${id}`).toBe(true);
      for (const issue of result.issues) {
        tally[issue.type] = (tally[issue.type] ?? 0) + 1;
        expect(formatIssue(issue).length, file).toBeGreaterThan(10);
      }
    }
    process.stdout.write(
      `validated ${files.length} real API workflows (${covered} fully covered by a catalog): ${JSON.stringify(tally)}\n`,
    );
    expect(files.length).toBeGreaterThan(40);
  });
});
