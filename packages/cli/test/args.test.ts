import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../src/args/parse-command-args.js";
import { MAX_SECONDS, secondsOption } from "../src/args/seconds-option.js";
import { UsageError } from "../src/usage-error.js";

function usageMessage(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe("usage");
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("secondsOption: one unit (seconds) for every duration flag", () => {
  it.each([
    ["30", 30_000],
    ["1.5", 1500],
    [".25", 250],
    ["30s", 30_000],
    ["2000s", 2_000_000],
    [`${MAX_SECONDS}s`, MAX_SECONDS * 1000],
  ])("%s → %i ms", (text, ms) => {
    expect(secondsOption("--timeout", text, { wasMilliseconds: true })).toBe(ms);
  });

  it.each([
    ["-5", '--timeout must be a number of seconds > 0 and ≤ 2147483, got "-5" (a bound cannot be negative)'],
    ["0", '--timeout must be a number of seconds > 0 and ≤ 2147483, got "0"'],
    ["abc", '--timeout must be a number of seconds > 0 and ≤ 2147483, got "abc"'],
    ["1e3", '--timeout must be a number of seconds > 0 and ≤ 2147483, got "1e3"'],
    [
      String(MAX_SECONDS + 1),
      `--timeout must be a number of seconds > 0 and ≤ 2147483, got "${MAX_SECONDS + 1}"`,
    ],
    ["2000ms", "--timeout is in seconds, not milliseconds: for 2000ms write --timeout 2"],
  ])("%s is refused: %s", (text, message) => {
    expect(usageMessage(() => secondsOption("--timeout", text))).toBe(message);
  });

  it("a bare value ≥ 1000 of a flag that took milliseconds is refused with the seconds to write", () => {
    expect(usageMessage(() => secondsOption("--timeout", "30000", { wasMilliseconds: true }))).toBe(
      "--timeout is in seconds (it took milliseconds in earlier versions): 30000 would be 8 h 20 min. " +
        "Write --timeout 30 for 30000 ms, or --timeout 30000s if you mean 8 h 20 min",
    );
    // `run` always took seconds: its 1800 is 30 minutes.
    expect(secondsOption("--timeout", "1800")).toBe(1_800_000);
  });
});

describe("parseCommandArgs: Node's parseArgs with messages a person can act on", () => {
  const options = {
    timeout: { type: "string" },
    out: { type: "string", short: "o" },
    json: { type: "boolean" },
  } as const;

  it("takes a negative number after a flag as its value, for the flag's own check", () => {
    expect(parseCommandArgs(["--timeout", "-5", "x"], options)).toMatchObject({
      values: { timeout: "-5" },
      positionals: ["x"],
    });
  });

  it.each([
    [["--timout", "3"], "unknown option --timout (did you mean --timeout?)"],
    [["--timeout"], "--timeout needs a value"],
    [["--json=yes"], "--json takes no value"],
    [["--out", "-x"], '--out needs a value (a value that starts with "-" is written --out=-VALUE)'],
    [["-o", "-x"], '-o needs a value (a value that starts with "-" is written --out=-VALUE)'],
  ])("%j → %s", (argv, message) => {
    expect(usageMessage(() => parseCommandArgs(argv, options))).toBe(message);
  });
});
