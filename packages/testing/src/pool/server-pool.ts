import {
  MissingComboValueError,
  type MissingNodeClass,
  MissingNodeClassError,
  NoServerError,
} from "../errors.js";
import { isInfrastructureError } from "./infrastructure-error.js";

/** What the pool knows about one server. */
export interface PoolServer {
  /** Base URL, credentials removed. */
  readonly url: string;
  /** From `/system_stats` (see `environmentKey()`). */
  readonly environmentKey: string;
  /** Node classes the server lists in `/object_info`. */
  readonly nodeClasses: ReadonlySet<string>;
  /**
   * The values a combo input of a class accepts on this server (model files, input images, samplers),
   * or undefined when the input is not a combo list. Undefined function: combos are not checked.
   */
  readonly comboValues?: (classType: string, input: string) => ReadonlySet<string> | undefined;
}

/** A literal value of a combo input (a checkpoint, a LoRA, an input image …) a run needs. */
export interface RequiredComboValue {
  readonly nodeId: string;
  readonly classType: string;
  readonly input: string;
  readonly value: string;
}

/** What a run needs from a server. */
export interface ServerRequirements {
  /** Only servers with this environment key (goldens keyed by environment). */
  readonly environmentKey?: string | undefined;
  /**
   * Prefer servers with one of these environment keys (those the test has goldens for); used only
   * when some server has one, so a run for a new environment still finds a server.
   */
  readonly preferEnvironments?: readonly string[] | undefined;
  /** Node classes the graph uses, with where each node came from (for the error message). */
  readonly nodes: readonly MissingNodeClass[];
  /** Combo literals (model files …) the server must list; a server without one would reject the prompt. */
  readonly comboValues?: readonly RequiredComboValue[];
}

/** One try of a run on one server. */
export interface PoolAttempt {
  readonly server: string;
  /** The infrastructure error that made the pool move on; undefined for the try that ended the run. */
  readonly error: unknown;
}

export interface PoolOptions {
  /** Runs in flight per server from this pool (one pool per vitest worker). Default 1. */
  readonly concurrencyPerServer?: number;
  /** Most servers one run is tried on (first try included). Default: every eligible server. */
  readonly maxAttempts?: number;
}

/**
 * Routes runs to servers: only servers whose environment and node classes fit, the least busy one
 * with a free slot first (waiting when all are busy), and — on an infrastructure failure (server
 * gone, timeout, 5xx) — another server. Failures of the graph or the test are never retried. A
 * server that refused connections is not used again by this pool.
 */
export class ServerPool<S extends PoolServer = PoolServer> {
  readonly servers: readonly S[];
  readonly #concurrency: number;
  readonly #maxAttempts: number | undefined;
  readonly #active = new Map<S, number>();
  readonly #down = new Set<S>();
  #waiters: (() => void)[] = [];

  constructor(servers: readonly S[], options: PoolOptions = {}) {
    if (servers.length === 0) throw new NoServerError("a server pool needs at least one server");
    const concurrency = options.concurrencyPerServer ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new NoServerError(`concurrencyPerServer must be an integer ≥ 1, got ${concurrency}`);
    }
    const { maxAttempts } = options;
    if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
      throw new NoServerError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
    }
    this.servers = servers;
    this.#concurrency = concurrency;
    this.#maxAttempts = options.maxAttempts;
  }

  /** Runs in flight on a server (for tests and reports). */
  active(server: S): number {
    return this.#active.get(server) ?? 0;
  }

  /** Servers that fit the requirements, or the error that says why none does. */
  eligible(requirements: ServerRequirements): S[] {
    const { environmentKey } = requirements;
    const byEnvironment = this.servers.filter(
      (s) => environmentKey === undefined || s.environmentKey === environmentKey,
    );
    if (byEnvironment.length === 0) {
      const keys = [...new Set(this.servers.map((s) => `${s.url} (${s.environmentKey})`))].join(", ");
      throw new NoServerError(
        `no server has the environment "${environmentKey}" these goldens are keyed by; servers: ${keys}. Add a server of that environment to COMFYUI_URL, or create goldens for this environment with \`vitest -u\`.`,
      );
    }
    const fit = byEnvironment.filter((s) => requirements.nodes.every((n) => s.nodeClasses.has(n.classType)));
    if (fit.length === 0) {
      const first = byEnvironment[0]!;
      throw new MissingNodeClassError(
        requirements.nodes.filter((n) => !first.nodeClasses.has(n.classType)),
        byEnvironment.map((s) => s.url),
      );
    }
    const combos = requirements.comboValues ?? [];
    const lacks = (server: S) =>
      combos.filter((c) => {
        const values = server.comboValues?.(c.classType, c.input);
        return values !== undefined && !values.has(c.value);
      });
    const withFiles = combos.length === 0 ? fit : fit.filter((server) => lacks(server).length === 0);
    if (withFiles.length === 0)
      throw new MissingComboValueError(
        lacks(fit[0]!),
        fit.map((server) => server.url),
      );
    // Down servers go first, so a preferred environment whose servers all refused falls back to the others.
    const up = withFiles.filter((s) => !this.#down.has(s));
    if (up.length === 0) {
      throw new NoServerError(
        `every server that can run this graph failed earlier in this run: ${withFiles.map((s) => s.url).join(", ")}`,
      );
    }
    const preferred = requirements.preferEnvironments?.length
      ? up.filter((s) => requirements.preferEnvironments!.includes(s.environmentKey))
      : [];
    return preferred.length > 0 ? preferred : up;
  }

  /**
   * Runs `job` on an eligible server, holding one of its slots. Infrastructure errors move the run to
   * another eligible server; any other error is thrown as is.
   */
  async use<T>(
    requirements: ServerRequirements,
    job: (server: S, attempt: number) => Promise<T>,
  ): Promise<{ value: T; server: S; attempts: PoolAttempt[] }> {
    const attempts: PoolAttempt[] = [];
    const tried = new Set<S>();
    const limit = this.#maxAttempts ?? Number.POSITIVE_INFINITY;
    for (;;) {
      const candidates = tried.size === 0 ? this.eligible(requirements) : this.#untried(requirements, tried);
      const server = await this.#acquire(candidates);
      tried.add(server);
      try {
        const value = await job(server, attempts.length + 1);
        attempts.push({ server: server.url, error: undefined });
        return { value, server, attempts };
      } catch (error) {
        if (!isInfrastructureError(error)) throw error;
        attempts.push({ server: server.url, error });
        if (
          (error as { code?: string }).code === "COMFY_CONNECTION" ||
          (error as { code?: string }).code === "ERR_SERVER_UNREACHABLE"
        ) {
          this.#down.add(server);
        }
        const others = this.#untried(requirements, tried);
        if (others.length === 0 || attempts.length >= limit) {
          if (attempts.length === 1) throw error;
          throw new NoServerError(
            `the run failed on every server it was tried on:\n${attempts.map((a) => `  ${a.server}: ${(a.error as Error).message}`).join("\n")}`,
            { cause: error },
          );
        }
      } finally {
        this.#release(server);
      }
    }
  }

  /**
   * Eligible servers not tried yet: untried ones of the preferred environments first, then any other
   * (a timeout on the only preferred server moves the run to another environment).
   */
  #untried(requirements: ServerRequirements, tried: ReadonlySet<S>): S[] {
    let preferred: S[];
    let any: S[];
    try {
      preferred = this.eligible(requirements).filter((s) => !tried.has(s));
      any = this.eligible({ ...requirements, preferEnvironments: [] }).filter((s) => !tried.has(s));
    } catch {
      return [];
    }
    return preferred.length > 0 ? preferred : any;
  }

  async #acquire(candidates: readonly S[]): Promise<S> {
    for (;;) {
      let best: S | undefined;
      for (const server of candidates) {
        if (this.#down.has(server)) continue;
        const active = this.active(server);
        if (active < this.#concurrency && (best === undefined || active < this.active(best))) best = server;
      }
      if (best) {
        this.#active.set(best, this.active(best) + 1);
        return best;
      }
      if (candidates.every((s) => this.#down.has(s))) {
        throw new NoServerError(`every candidate server is down: ${candidates.map((s) => s.url).join(", ")}`);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #release(server: S): void {
    this.#active.set(server, Math.max(0, this.active(server) - 1));
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
