/** A stream the CLI writes to: a terminal or not. */
type Stream = NodeJS.WritableStream & { isTTY?: boolean };

export interface Colors {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly dim: (s: string) => string;
}

/**
 * Colors for what goes to `stream`: on when it is a terminal (not `TERM=dumb`) or `FORCE_COLOR` is
 * set (not `0`), never when `NO_COLOR` is set.
 */
export function colorsFor(stream: Stream, env: NodeJS.ProcessEnv): Colors {
  const forced = env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0";
  const terminal = stream.isTTY === true && env["TERM"] !== "dumb";
  const on = !env["NO_COLOR"] && (forced || terminal);
  const wrap = (open: number, close: number) => (s: string) =>
    on ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return { red: wrap(31, 39), green: wrap(32, 39), cyan: wrap(36, 39), dim: wrap(2, 22) };
}

/** One line of a unified diff in its colour: additions green, removals red, hunk headers cyan. */
export function colorDiffLine(colors: Colors, line: string): string {
  if (line.startsWith("+") && !line.startsWith("+++")) return colors.green(line);
  if (line.startsWith("-") && !line.startsWith("---")) return colors.red(line);
  if (line.startsWith("@@")) return colors.cyan(line);
  return line;
}
