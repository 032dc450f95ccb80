import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../usage-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

/**
 * `node:util` `parseArgs` (strict, positionals allowed) with the errors a person can act on: each
 * problem is a `UsageError` naming the flag (`unknown option --serv (did you mean --server?)`,
 * `--out needs a value`). A negative number after a flag that takes a value is taken as that value
 * (`--timeout -5`), so the flag's own check says what is wrong with it instead of Node's
 * "argument is ambiguous".
 */
export function parseCommandArgs<const O extends Options>(argv: readonly string[], options: O): Parsed<O> {
  try {
    return parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
      throw new UsageError(parseArgsReason(error, options));
    throw error;
  }
}

/** `--timeout -5` → `--timeout=-5` for flags that take a value (short forms too: `-o -x` stays). */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      options[name]?.type === "string" &&
      next !== undefined &&
      /^-\.?\d/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/**
 * One line for a `node:util` `parseArgs` error, without its advice about `--` (which misleads for
 * a mistyped flag), plus the closest known option when there is one.
 */
function parseArgsReason(error: unknown, options: Options): string {
  const e = error as { code?: string; message?: string };
  const message = String(e.message ?? error);
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(message)?.[1] ?? "";
    const near = closest(flag.replace(/^-+/, "").split("=")[0] ?? "", [...Object.keys(options), "help"]);
    return `unknown option ${flag}${near ? ` (did you mean --${near}?)` : ""}`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    // "Option '--server <value>' argument missing" / "Option '--json' does not take an argument" /
    // "Option '-o, --out <value>' argument is ambiguous" (the value starts with a dash).
    const flag = /'(?:-\w, )?(-[^' ]+)/.exec(message)?.[1];
    if (/argument missing/.test(message) && flag) return `${flag} needs a value`;
    if (/does not take an argument/.test(message) && flag) return `${flag} takes no value`;
    if (/ambiguous/.test(message) && flag) {
      // Only the long form takes `=`: `-o=-x` would be the value "=-x".
      const long = flag.startsWith("--")
        ? flag
        : `--${Object.keys(options).find((name) => `-${options[name]?.short}` === flag) ?? flag.slice(1)}`;
      return `${flag} needs a value (a value that starts with "-" is written ${long}=-VALUE)`;
    }
  }
  if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']+)'/.exec(message)?.[1];
    if (arg) return `unexpected argument "${arg}"`;
  }
  return message.split(". To specify a positional")[0]!;
}

function closest(name: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const option of options) {
    const d = distance(name, option);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (flag names are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
