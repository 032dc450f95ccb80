import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Where in the author's code something was created: `file:line:column`. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** A stack captured cheaply now and parsed only when someone asks where the node was made. */
export interface CapturedStack {
  stack?: string;
}

/**
 * Frames kept per capture: the caller and a few more in case the first are Node's own. Each frame
 * costs memory for the node's whole life, and large graphs are walked faster when nodes are small.
 */
const FRAMES_KEPT = 4;

/** Captures the caller of `above` (the frame that called the factory). */
export function captureCallSite(above: (...args: never[]) => unknown): CapturedStack {
  const holder: CapturedStack = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = FRAMES_KEPT;
  try {
    Error.captureStackTrace(holder, above);
  } finally {
    Error.stackTraceLimit = limit;
  }
  return holder;
}

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

/** The first frame of a captured stack, with file paths relative to the working directory. */
export function parseCallSite(captured: CapturedStack): SourceLocation | undefined {
  const lines = captured.stack?.split("\n") ?? [];
  for (const line of lines.slice(1)) {
    const match = FRAME.exec(line);
    if (!match) continue;
    let file = match[1]!;
    if (file.startsWith("node:") || file === "native") continue;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (isAbsolute(file)) {
      const rel = relative(process.cwd(), file);
      if (!rel.startsWith("..")) file = rel;
    }
    return { file: file.split("\\").join("/"), line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}
