const N = 624;
const M = 397;

/**
 * The 32-bit Mersenne Twister as torch's CPU generator holds it (`at::mt19937`): seeded from the
 * low 32 bits of a 64-bit seed with the reference initialisation, one 32-bit word per draw.
 */
export class Mt19937 {
  private readonly state = new Uint32Array(N);
  private index = N;

  constructor(seed: bigint | number) {
    this.state[0] = Number(BigInt.asUintN(32, BigInt(seed)));
    for (let j = 1; j < N; j++) {
      const prev = this.state[j - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x + j modulo 2^32, split to stay exact in doubles.
      const hi = (((x >>> 16) * 1812433253) & 0xffff) << 16;
      this.state[j] = (hi + (x & 0xffff) * 1812433253 + j) >>> 0;
    }
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const next = i + 1 < N ? i + 1 : 0;
      const far = i + M < N ? i + M : i + M - N;
      const y = ((s[i] as number) & 0x80000000) | ((s[next] as number) & 0x7fffffff);
      s[i] = ((s[far] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }
}
