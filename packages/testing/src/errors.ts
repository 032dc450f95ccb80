import { ComfyError } from "@comfy-ts/core/errors";
import type { ReproducibilityIssue } from "./lint/reproducibility-lint.js";

const BRAND = Symbol.for("comfy-ts.testing.error");

/**
 * Base class of the errors `@comfy-ts/testing` defines (a `ComfyError`, like every error comfy-ts
 * throws; decoding errors come from `@comfy-ts/core/png` and `@comfy-ts/media`). `code` is stable
 * across versions: branch on it (or on `instanceof` of a subclass), never on the message.
 */
export class ComfyTestingError extends ComfyError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for errors of this package, also across duplicate installs. */
  static is(value: unknown): value is ComfyTestingError {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

/** An invalid comparison or matcher option (value out of range, unknown key, wrong type). */
export class GoldenOptionsError extends ComfyTestingError {
  readonly option: string;
  constructor(option: string, message: string) {
    super("ERR_GOLDEN_OPTIONS", message);
    this.option = option;
  }
}

/** A golden name that is empty, absolute, or would escape the golden folder. */
export class GoldenNameError extends ComfyTestingError {
  readonly goldenName: string;
  constructor(goldenName: string, reason: string) {
    super("ERR_GOLDEN_NAME", `invalid golden name ${JSON.stringify(goldenName)}: ${reason}`);
    this.goldenName = goldenName;
  }
}

/** The matcher was used where it cannot work (no current test, not awaited value of the right type). */
export class GoldenUsageError extends ComfyTestingError {
  constructor(message: string) {
    super("ERR_GOLDEN_USAGE", message);
  }
}

/** A server named in `COMFYUI_URL` (or given to the pool) did not answer. */
export class ServerUnreachableError extends ComfyTestingError {
  readonly url: string;
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(
      "ERR_SERVER_UNREACHABLE",
      `ComfyUI server ${url} is unreachable (${reason}). Start it, or remove it from COMFYUI_URL to use the others (unset COMFYUI_URL to run on the embedded local server).`,
      options,
    );
    this.url = url;
  }
}

/** One node of a graph whose class no eligible server has. */
export interface MissingNodeClass {
  readonly nodeId: string;
  readonly classType: string;
  /** `file:line:column` where the node was created, when the prompt was compiled from code. */
  readonly location: string | undefined;
}

/** The graph uses node classes the server(s) do not list in `/object_info`; nothing was queued. */
export class MissingNodeClassError extends ComfyTestingError {
  readonly missing: readonly MissingNodeClass[];
  readonly servers: readonly string[];
  constructor(missing: readonly MissingNodeClass[], servers: readonly string[]) {
    const lines = missing.map(
      (m) => `  node ${m.nodeId}: ${m.classType}${m.location ? ` (created at ${m.location})` : ""}`,
    );
    super(
      "ERR_MISSING_NODE_CLASS",
      `no server can run this graph: ${servers.join(", ")} lack${servers.length === 1 ? "s" : ""} node classes it uses:\n${lines.join("\n")}\nInstall the custom nodes on the server, or point COMFYUI_URL at one that has them.`,
    );
    this.missing = missing;
    this.servers = servers;
  }
}

/** No server of the pool can take the run: none matches the environment, or all failed. */
export class NoServerError extends ComfyTestingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_NO_SERVER", message, options);
  }
}

/** The graph names combo values (model files, input images …) that no eligible server lists. */
export class MissingComboValueError extends ComfyTestingError {
  readonly missing: readonly { nodeId: string; classType: string; input: string; value: string }[];
  readonly servers: readonly string[];
  constructor(
    missing: readonly { nodeId: string; classType: string; input: string; value: string }[],
    servers: readonly string[],
  ) {
    const lines = missing.map(
      (m) => `  node ${m.nodeId} (${m.classType}) ${m.input}: ${JSON.stringify(m.value)}`,
    );
    super(
      "ERR_MISSING_MODEL",
      `no server has every file this graph uses (${servers.join(", ")}):\n${lines.join("\n")}\nPut the files on a server (models folder, or upload inputs with the \`inputs\` run option), or skip the test where they are absent.`,
    );
    this.missing = missing;
    this.servers = servers;
  }
}

/** A golden or output whose bytes are no format comfy-ts compares (empty, unknown signature, not UTF-8 text). */
export class UnrecognizedOutputError extends ComfyTestingError {
  /** The file (or label) the bytes came from. */
  readonly source: string;
  constructor(source: string, message: string) {
    super("ERR_GOLDEN_FORMAT", message);
    this.source = source;
  }
}

/** The graph is not reproducible and `lint: "error"` was asked. */
export class ReproducibilityError extends ComfyTestingError {
  readonly issues: readonly ReproducibilityIssue[];
  constructor(issues: readonly ReproducibilityIssue[]) {
    super(
      "ERR_REPRODUCIBILITY",
      `the graph's output cannot be reproduced:\n${issues.map((i) => `  ${i.message}`).join("\n")}`,
    );
    this.issues = issues;
  }
}

/** Forced re-execution was asked, yet the server served nodes from its cache. */
export class CachedResultError extends ComfyTestingError {
  readonly cachedNodes: readonly string[];
  constructor(server: string, cachedNodes: readonly string[]) {
    super(
      "ERR_CACHED_RESULT",
      `${server} served nodes ${cachedNodes.join(", ")} from its cache although re-execution was forced: the images were not rendered by this run. Check the server's cache mode, or pass forceExecution: "free-memory".`,
    );
    this.cachedNodes = cachedNodes;
  }
}

/** How long a run's job waited in a server's queue and how long it executed, when a bound ran out. */
export interface RunTiming {
  readonly server: string;
  /** From submission until the job started (or until the bound, when it never started). */
  readonly queuedMs: number | undefined;
  /** From the start of execution until the bound; undefined when it never started. */
  readonly executedMs: number | undefined;
}

/**
 * A run outlasted its bound — the test's timeout, or the client's queue or execution bound — and was
 * interrupted on the server. The message says how long the job waited in the queue and ran.
 */
export class RunTimeoutError extends ComfyTestingError {
  readonly timing: RunTiming | undefined;
  constructor(bound: string, timing: RunTiming | undefined, advice: string, options?: { cause?: unknown }) {
    super("ERR_RUN_TIMEOUT", `${bound} ran out: ${describeTiming(timing)}. ${advice}`, options);
    this.timing = timing;
  }
}

function describeTiming(timing: RunTiming | undefined): string {
  if (!timing || timing.queuedMs === undefined) return "the job was not yet submitted";
  const queued = `the job waited ${duration(timing.queuedMs)} in the queue of ${timing.server}`;
  return timing.executedMs === undefined
    ? `${queued} and had not started (interrupted on the server)`
    : `${queued}, then executed for ${duration(timing.executedMs)} (interrupted on the server)`;
}

/** `0.4 s`, `12 s`, `14 min 2 s`. */
function duration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
}
