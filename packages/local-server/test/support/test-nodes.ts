import type { ListedOnlyNode, NodeImpl, RawNodeDefinition } from "../../src/index.js";
import { NodeExecutionError } from "../../src/index.js";

/** A definition in `/object_info` shape for the small test nodes below. */
function def(
  name: string,
  required: Record<string, unknown>,
  output: string[],
  extra: Partial<RawNodeDefinition> = {},
): RawNodeDefinition {
  return {
    input: { required },
    input_order: { required: Object.keys(required) },
    output,
    output_is_list: output.map(() => false),
    output_name: output,
    name,
    display_name: name,
    description: "",
    python_module: "tests",
    category: "tests",
    output_node: false,
    ...extra,
  };
}

/** How many times each test node class ran (per registry instance). */
export interface RunCounter {
  readonly counts: Map<string, number>;
}

/** Trivial nodes the protocol tests run; real node implementations live in src/nodes. */
export function testNodes(counter: RunCounter = { counts: new Map() }): NodeImpl[] {
  const count = (name: string) => counter.counts.set(name, (counter.counts.get(name) ?? 0) + 1);
  return [
    {
      classType: "TestNumber",
      define: () => def("TestNumber", { value: ["INT", { default: 0 }] }, ["INT"]),
      execute: (inputs) => {
        count("TestNumber");
        return { outputs: [inputs.value] };
      },
    },
    {
      classType: "TestAdd",
      define: () => def("TestAdd", { a: ["INT", {}], b: ["INT", { default: 1 }] }, ["INT"]),
      execute: (inputs) => {
        count("TestAdd");
        return { outputs: [Number(inputs.a) + Number(inputs.b)] };
      },
    },
    {
      classType: "TestOutput",
      define: () => def("TestOutput", { value: ["*", {}] }, [], { output_node: true }),
      execute: (inputs) => {
        count("TestOutput");
        return { ui: { text: [String(inputs.value)] } };
      },
    },
    {
      classType: "TestSilentOutput",
      define: () => def("TestSilentOutput", { value: ["*", {}] }, [], { output_node: true }),
      execute: () => {
        count("TestSilentOutput");
        return {};
      },
    },
    {
      classType: "TestSlow",
      define: () => def("TestSlow", { value: ["INT", {}], steps: ["INT", { default: 5 }] }, ["INT"]),
      execute: async (inputs, ctx) => {
        count("TestSlow");
        const steps = Number(inputs.steps);
        for (let i = 0; i < steps; i++) {
          await new Promise((r) => setTimeout(r, 10));
          ctx.progress(i + 1, steps);
        }
        return { outputs: [inputs.value] };
      },
    },
    {
      classType: "TestList",
      define: () => def("TestList", { count: ["INT", {}] }, ["INT"], { output_is_list: [true] }),
      execute: (inputs) => {
        count("TestList");
        return { outputs: [Array.from({ length: Number(inputs.count) }, (_, i) => i)] };
      },
    },
    {
      classType: "TestFail",
      define: () => def("TestFail", { value: ["INT", {}] }, ["INT"]),
      execute: () => {
        count("TestFail");
        throw new NodeExecutionError("ValueError", "test failure on purpose");
      },
    },
    {
      classType: "TestPreview",
      define: () => def("TestPreview", { value: ["INT", {}] }, [], { output_node: true }),
      execute: (inputs, ctx) => {
        count("TestPreview");
        ctx.progressText(`value: ${String(inputs.value)}`);
        ctx.progress(0, 1, { format: "PNG", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });
        return {};
      },
    },
    {
      classType: "TestPair",
      define: () => def("TestPair", { value: ["INT", {}] }, ["INT", "INT"]),
      execute: (inputs) => {
        count("TestPair");
        return { outputs: [Number(inputs.value), Number(inputs.value) * 10] };
      },
    },
    {
      classType: "TestBug",
      define: () => def("TestBug", { value: ["INT", {}] }, ["INT"]),
      execute: (inputs) => {
        count("TestBug");
        // A JavaScript bug inside a node: reading a property of undefined.
        return { outputs: [(inputs.missing as { shape: number[] }).shape[0]] };
      },
    },
    {
      classType: "TestVolatile",
      define: () => def("TestVolatile", { value: ["INT", {}] }, ["INT"]),
      fingerprint: () => Number.NaN,
      execute: (inputs) => {
        count("TestVolatile");
        return { outputs: [inputs.value] };
      },
    },
  ];
}

export const testListedOnlyNodes: ListedOnlyNode[] = [
  {
    classType: "CheckpointLoaderSimple",
    define: () =>
      def("CheckpointLoaderSimple", { ckpt_name: [[], {}] }, ["MODEL", "CLIP", "VAE"], {
        category: "loaders",
      }),
  },
];
