import { describe, expect, test } from "vitest";
import { unifiedDiff } from "../src/unified-diff.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("unifiedDiff", () => {
  test.each([
    ["identical texts give no diff", lines("a", "b"), lines("a", "b"), ""],
    [
      "one changed line with context",
      lines("1", "2", "3", "4", "5", "6", "7", "8"),
      lines("1", "2", "3", "4", "X", "6", "7", "8"),
      "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n",
    ],
    ["added to an empty file", "", lines("a"), "--- old\n+++ new\n@@ -0,0 +1,1 @@\n+a\n"],
    ["everything removed", lines("a", "b"), "", "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-a\n-b\n"],
    [
      "an insertion in the middle",
      lines("a", "b", "c"),
      lines("a", "b", "new", "c"),
      "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n",
    ],
  ])("%s", (_name, before, after, want) => {
    expect(unifiedDiff(before, after, "old", "new")).toBe(want);
  });

  test("distant changes make separate hunks; applying the hunks gives the new text", () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[3] = "changed 3";
    after.splice(30, 1);
    after.push("tail");
    const diff = unifiedDiff(lines(...before), lines(...after), "old", "new");
    expect(diff.match(/^@@/gm)).toHaveLength(3);
    expect(applyPatch(before, diff)).toEqual(after);
  });

  test("random edits round-trip through the patch", () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 50; round++) {
      const before = Array.from({ length: 30 }, () => String(Math.floor(rand() * 6)));
      const after = before.filter(() => rand() > 0.2).map((l) => (rand() > 0.85 ? `${l}!` : l));
      if (rand() > 0.5) after.splice(Math.floor(rand() * after.length), 0, "inserted");
      const diff = unifiedDiff(lines(...before), lines(...after), "old", "new");
      expect(applyPatch(before, diff)).toEqual(after);
    }
  });
});

/** Applies a unified diff made by unifiedDiff (test oracle). */
function applyPatch(before: readonly string[], diff: string): string[] {
  const out: string[] = [];
  let pos = 0;
  const body = diff.split("\n").slice(2, -1);
  for (const line of body) {
    const hunk = /^@@ -(\d+),(\d+) /.exec(line);
    if (hunk) {
      const start = Number(hunk[2]) === 0 ? Number(hunk[1]) : Number(hunk[1]) - 1;
      while (pos < start) out.push(before[pos++]!);
      continue;
    }
    const text = line.slice(1);
    if (line[0] === " ") {
      expect(before[pos]).toBe(text);
      out.push(text);
      pos++;
    } else if (line[0] === "-") {
      expect(before[pos]).toBe(text);
      pos++;
    } else out.push(text);
  }
  while (pos < before.length) out.push(before[pos++]!);
  return out;
}
