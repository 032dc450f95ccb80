import { describe, expect, it } from "vitest";
import { first } from "./run-node.js";

describe("string nodes (Python semantics)", () => {
  it.each([
    ["StringConcatenate", { string_a: "a", string_b: "b", delimiter: ", " }, "a, b"],
    ["StringSubstring", { string: "héllo", start: 1, end: -1 }, "éll"],
    ["StringSubstring", { string: "hello", start: 4, end: 2 }, ""],
    ["StringLength", { string: "héllo 🙂" }, 7],
    ["CaseConverter", { string: "hello WORLD", mode: "UPPERCASE" }, "HELLO WORLD"],
    ["CaseConverter", { string: "hello WORLD", mode: "lowercase" }, "hello world"],
    ["CaseConverter", { string: "hello WORLD", mode: "Capitalize" }, "Hello world"],
    ["CaseConverter", { string: "hello wORLD-x2y", mode: "Title Case" }, "Hello World-X2Y"],
    ["StringTrim", { string: " \t x \n", mode: "Both" }, "x"],
    ["StringTrim", { string: " x ", mode: "Left" }, "x "],
    ["StringTrim", { string: " x ", mode: "Right" }, " x"],
    ["StringReplace", { string: "a-b-c", find: "-", replace: "+" }, "a+b+c"],
    ["StringContains", { string: "Hello", substring: "hell", case_sensitive: true }, false],
    ["StringContains", { string: "Hello", substring: "hell", case_sensitive: false }, true],
    [
      "StringCompare",
      { string_a: "Hello", string_b: "he", mode: "Starts With", case_sensitive: false },
      true,
    ],
    ["StringCompare", { string_a: "Hello", string_b: "LO", mode: "Ends With", case_sensitive: true }, false],
    ["StringCompare", { string_a: "a", string_b: "a", mode: "Equal", case_sensitive: true }, true],
    [
      "RegexMatch",
      { string: "abc123", regex_pattern: "\\d+", case_insensitive: true, multiline: false, dotall: false },
      true,
    ],
    [
      "RegexMatch",
      { string: "abc", regex_pattern: "(", case_insensitive: true, multiline: false, dotall: false },
      false,
    ],
    [
      "RegexExtract",
      {
        string: "a1 b22",
        regex_pattern: "\\d+",
        mode: "First Match",
        case_insensitive: true,
        multiline: false,
        dotall: false,
        group_index: 1,
      },
      "1",
    ],
    [
      "RegexExtract",
      {
        string: "a1 b22",
        regex_pattern: "\\d+",
        mode: "All Matches",
        case_insensitive: true,
        multiline: false,
        dotall: false,
        group_index: 1,
      },
      "1\n22",
    ],
    [
      "RegexExtract",
      {
        string: "a1 b22",
        regex_pattern: "([a-z])(\\d+)",
        mode: "All Groups",
        case_insensitive: true,
        multiline: false,
        dotall: false,
        group_index: 2,
      },
      "1\n22",
    ],
    [
      "RegexExtract",
      {
        string: "x",
        regex_pattern: "(?P<n>x)",
        mode: "First Group",
        case_insensitive: true,
        multiline: false,
        dotall: false,
        group_index: 1,
      },
      "x",
    ],
    [
      "RegexReplace",
      {
        string: "a1 b2",
        regex_pattern: "([a-z])(\\d)",
        replace: "\\2\\1",
        case_insensitive: true,
        multiline: false,
        dotall: false,
        count: 0,
      },
      "1a 2b",
    ],
    ["RegexReplace", { string: "aaa", regex_pattern: "a", replace: "$", count: 2 }, "$$a"],
    [
      "RegexReplace",
      { string: "ab", regex_pattern: "(?P<x>a)(b)", replace: "\\g<x>-\\g<2>\\n", count: 0 },
      "a-b\n",
    ],
  ])("%s %j → %j", async (node, inputs, want) => {
    expect(await first(node, inputs)).toEqual(want);
  });
});
