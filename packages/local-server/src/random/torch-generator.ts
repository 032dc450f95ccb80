import { log256, sincos256, sincosResult } from "./avx-mathfun.js";
import { Mt19937 } from "./mt19937.js";

const f = Math.fround;
const TWO_POW_24 = 16777216;
const TWO_POW_53 = 9007199254740992;
/** `2.0f * c10::pi<double>` rounded to float, as torch broadcasts it for the AVX2 fill. */
const TWO_PI_F32 = f(2 * Math.PI);

/** Which `normal_fill` torch runs for float tensors of 16 or more elements. */
export type NormalFillKernel = "avx2" | "avx2-fma" | "default";

/**
 * torch's CPU generator (`CPUGeneratorImpl`) after `torch.manual_seed(seed)`: mt19937 plus the cached
 * second Box–Muller sample of the double normal distribution.
 */
export class TorchGenerator {
  private readonly engine: Mt19937;
  private nextDoubleNormal: number | undefined;

  /** `seed` is any integer torch accepts (0 … 2^64−1); only its low 32 bits reach mt19937. */
  constructor(seed: bigint | number) {
    this.engine = new Mt19937(seed);
  }

  random(): number {
    return this.engine.nextUint32();
  }

  /** `random64()`: two draws, the first as the high word. Returned as hi/lo to stay exact. */
  random53(): number {
    const hi = this.random();
    const lo = this.random();
    // (hi << 32 | lo) & (2^53 - 1), as a double.
    return (hi & 0x1fffff) * 4294967296 + lo;
  }

  /** `uniform_real_distribution<float>(0, 1)`: 24 random bits scaled by 2^-24. */
  uniformFloat(): number {
    return (this.random() & 0xffffff) / TWO_POW_24;
  }

  /** `normal_distribution<double>(0, 1)`, the path torch takes for tensors under 16 elements. */
  normalDouble(): number {
    if (this.nextDoubleNormal !== undefined) {
      const cached = this.nextDoubleNormal;
      this.nextDoubleNormal = undefined;
      return cached;
    }
    const u1 = this.random53() / TWO_POW_53;
    const u2 = this.random53() / TWO_POW_53;
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.nextDoubleNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

/**
 * `torch.randn(n, generator=g)` for a contiguous float32 tensor on the CPU, bit for bit.
 * Under 16 elements torch draws each value from the double normal distribution; from 16 on it fills
 * uniforms first and transforms them 16 at a time with Box–Muller (the last, partial block is redrawn
 * over the final 16 slots). `kernel` picks the vectorised AVX2 transform (the one x86 builds run) or
 * the portable scalar one.
 */
export function randn(gen: TorchGenerator, n: number, kernel: NormalFillKernel = "avx2-fma"): Float32Array {
  const out = new Float32Array(n);
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = gen.normalDouble();
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = gen.uniformFloat();
  const fill16 = kernel === "default" ? fill16Default : kernel === "avx2" ? fill16Avx2 : fill16Avx2Fma;
  for (let i = 0; i + 16 <= n; i += 16) fill16(out, i);
  if (n % 16 !== 0) {
    const start = n - 16;
    for (let i = 0; i < 16; i++) out[start + i] = gen.uniformFloat();
    fill16(out, start);
  }
  return out;
}

function fill16Avx2Core(data: Float32Array, at: number, fused: boolean): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - (data[at + j] as number));
    const u2 = data[at + j + 8] as number;
    const radius = f(Math.sqrt(f(-2 * log256(u1, fused))));
    const theta = f(TWO_PI_F32 * u2);
    sincos256(theta, fused);
    data[at + j] = f(radius * (sincosResult[1] as number));
    data[at + j + 8] = f(radius * (sincosResult[0] as number));
  }
}
function fill16Avx2(data: Float32Array, at: number): void {
  fill16Avx2Core(data, at, false);
}
function fill16Avx2Fma(data: Float32Array, at: number): void {
  fill16Avx2Core(data, at, true);
}

function fill16Default(data: Float32Array, at: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - (data[at + j] as number));
    const u2 = data[at + j + 8] as number;
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(2 * Math.PI * u2);
    data[at + j] = f(radius * f(Math.cos(theta)));
    data[at + j + 8] = f(radius * f(Math.sin(theta)));
  }
}
