import { describe, expect, it } from "vitest";
import { displayPath, relativizeText } from "../src/run/display-path.js";

const CWD = "/home/me/proj";

describe("displayPath", () => {
  it.each([
    ["/home/me/proj/src/a.ts", "src/a.ts"],
    ["/home/me/proj", "."],
    ["/home/me/project/a.ts", "/home/me/project/a.ts"], // a sibling with a common prefix is outside
    ["/home/me/other/a.ts", "/home/me/other/a.ts"],
    ["out/x.png", "out/x.png"],
  ])("%s → %s", (path, shown) => {
    expect(displayPath(CWD, path)).toBe(shown);
  });
});

describe("relativizeText", () => {
  it.each([
    ["/home/me/proj/src/a.ts threw", "src/a.ts threw"],
    ["    at /home/me/proj/src/a.ts:3:7", "    at src/a.ts:3:7"],
    ["at fn (/home/me/proj/a.ts:1:2)", "at fn (a.ts:1:2)"],
    ["import file:///home/me/proj/a.ts failed", "import a.ts failed"],
    ['cannot read "/home/me/proj/a.json"', 'cannot read "a.json"'],
    ["/home/me/project/a.ts stays", "/home/me/project/a.ts stays"],
    ["/x/home/me/proj/a.ts stays", "/x/home/me/proj/a.ts stays"],
    ["POST http://h/home/me/proj/a stays", "POST http://h/home/me/proj/a stays"],
    ["line one\n/home/me/proj/b.ts:2", "line one\nb.ts:2"],
  ])("%j", (text, shown) => {
    expect(relativizeText(CWD, text)).toBe(shown);
  });

  it("changes nothing when the working directory is the root", () => {
    expect(relativizeText("/", "/etc/passwd and /home/me/a.ts")).toBe("/etc/passwd and /home/me/a.ts");
  });
});
