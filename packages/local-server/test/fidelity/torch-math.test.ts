import { describeWithPython, runPython } from "@comfy-ts/test-support";
import { beforeAll, expect, it } from "vitest";
import { linspace } from "../../src/tensor/linspace.js";
import { sleefAcosf, sleefExpf } from "../../src/tensor/sleef.js";
import { sleefSinf } from "../../src/tensor/sleef-trig.js";
import { REFERENCE_MODULES, seeded } from "./reference.js";

/**
 * The float32 building blocks the node ports share, against torch 1.13 itself: `exp`, `sin` and
 * `acos` of float tensors (SLEEF's vector functions) over their whole useful ranges, and `linspace`
 * for every length up to 300 and a few ranges (vectorized runs of 16, the halfway switch).
 */
const script = `
import base64, json, sys
import torch
req = json.loads(sys.stdin.read())
def b64(t):
    return base64.b64encode(t.contiguous().numpy().tobytes()).decode()
out = {}
for name in ("exp", "sin", "acos"):
    x = torch.frombuffer(bytearray(base64.b64decode(req[name])), dtype=torch.float32)
    out[name] = b64(getattr(torch, name)(x))
out["linspace"] = [b64(torch.linspace(a, b, n)) for a, b, n in req["linspace"]]
sys.stdout.write(json.dumps(out))
`;

function inputs() {
  const r = seeded(41);
  const f = Math.fround;
  const n = 20000;
  const exp = Array.from({ length: n }, (_, i) =>
    f(i % 4 === 0 ? -110 * r() : i % 4 === 1 ? 6 * r() - 3 : -20 * r()),
  );
  exp.push(0, -0, 88.7, 100, 100.5, -104, -104.5, -87.3, -103.9);
  const sin = Array.from({ length: n }, (_, i) =>
    f(i % 3 === 0 ? Math.PI * r() : i % 3 === 1 ? 248 * r() - 124 : 1e-3 * r()),
  );
  sin.push(0, -0, f(Math.PI), f(Math.PI / 2));
  const acos = Array.from({ length: n }, (_, i) =>
    f(i % 3 === 0 ? 2 * r() - 1 : i % 3 === 1 ? 1 - 1e-3 * r() : -1 + 1e-3 * r()),
  );
  acos.push(1, -1, 0, -0, 0.5, -0.5, f(0.49999997), f(-0.50000006));
  const linspaces: Array<[number, number, number]> = [];
  for (let steps = 1; steps <= 300; steps++) {
    const [a, b] = pick(r, steps);
    linspaces.push([a, b, steps]);
  }
  return { exp: exp.map(f), sin: sin.map(f), acos: acos.map(f), linspace: linspaces };
}

function pick(r: () => number, steps: number): [number, number] {
  const ranges: Array<[number, number]> = [
    [-1, 1],
    [0, 1],
    [1, 0],
    [14.614642, 0.0291675],
    [Math.round(r() * 2000) / 100 - 10, Math.round(r() * 2000) / 100 - 10],
  ];
  return ranges[steps % ranges.length] as [number, number];
}

describeWithPython("float32 math vs torch 1.13 (bit-exact)", REFERENCE_MODULES, (python) => {
  const given = inputs();
  let reference: { exp: Float32Array; sin: Float32Array; acos: Float32Array; linspace: Float32Array[] };
  beforeAll(() => {
    // float32 bytes both ways, so -0, infinities and every bit arrive as they are.
    const b64 = (xs: number[]) => Buffer.from(Float32Array.from(xs).buffer).toString("base64");
    const request = {
      exp: b64(given.exp),
      sin: b64(given.sin),
      acos: b64(given.acos),
      linspace: given.linspace,
    };
    const answer = JSON.parse(runPython(python, script, JSON.stringify(request)).toString());
    const floats = (b64: string) => {
      const bytes = Buffer.from(b64, "base64");
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    };
    reference = {
      exp: floats(answer.exp),
      sin: floats(answer.sin),
      acos: floats(answer.acos),
      linspace: (answer.linspace as string[]).map(floats),
    };
  }, 120_000);

  const fns = { exp: sleefExpf, sin: sleefSinf, acos: sleefAcosf };
  for (const [name, fn] of Object.entries(fns) as Array<[keyof typeof fns, (x: number) => number]>) {
    it(`torch.${name} of ${given[name].length} float32 values`, () => {
      const bad = given[name]
        .map((x, i) => [x, fn(x), reference[name][i] as number] as const)
        .filter(
          ([, mine, theirs]) => !Object.is(mine, theirs) && !(Number.isNaN(mine) && Number.isNaN(theirs)),
        );
      expect(bad.slice(0, 5), `${bad.length} values differ`).toEqual([]);
    });
  }

  it(`torch.linspace for ${given.linspace.length} lengths`, () => {
    const bad = given.linspace
      .map(([a, b, n], i) => ({
        a,
        b,
        n,
        mine: Array.from(linspace(a, b, n).data),
        theirs: reference.linspace[i],
      }))
      .filter(
        ({ mine, theirs }) => mine.length !== theirs?.length || mine.some((v, k) => !Object.is(v, theirs[k])),
      );
    expect(bad.map(({ a, b, n }) => `linspace(${a}, ${b}, ${n})`)).toEqual([]);
  });
});
