/**
 * Which kernel torch 1.13's CPU `conv2d` runs for ComfyUI's blur and sharpen convolutions, and so
 * how each output sums its kernel taps. Every kernel sums the taps in row-major order; they differ in
 * whether a multiply and the following add are one fused operation (oneDNN's JIT and GEMM kernels,
 * torch's own `slow_conv2d` on OpenBLAS) or two float32 roundings (oneDNN's reference kernel,
 * `slow_conv2d` on the reference BLAS).
 *
 * torch sends a float32 convolution to oneDNN (`use_mkldnn`) unless it is small and ungrouped; oneDNN
 * 2.6 then takes the first implementation of its list that accepts the shape: the depthwise JIT
 * kernel, the direct JIT kernel (one channel), the im2col GEMM (when its buffer fits oneDNN's
 * scratchpad limit), else the reference loop. Those acceptance rules depend on the CPU; they are
 * reproduced for the machine the reference recordings come from ({@link REFERENCE_CPU}).
 */

/** What oneDNN's choice depends on. */
export interface ConvCpu {
  /** Widest vector ISA oneDNN uses: AVX-512 (`avx512_core`) or AVX2. */
  readonly isa: "avx512" | "avx2";
  /**
   * The per-core L2 size oneDNN believes in, in bytes. Its CPUID probe reads Intel cache leaves only;
   * on other vendors it assumes 512 KiB.
   */
  readonly l2Bytes: number;
  /** OpenMP threads (torch's default: physical cores). */
  readonly threads: number;
  /**
   * The BLAS behind Debian's `libblas.so.3`, which torch's `slow_conv2d` calls: OpenBLAS once it is
   * installed (python3-scipy, which ComfyUI needs, brings it), else the reference BLAS.
   */
  readonly blas: "openblas" | "reference";
}

/**
 * The recording machine: an AMD EPYC with AVX-512 and one physical core (2 SMT threads), Debian's
 * torch with OpenBLAS.
 */
export const REFERENCE_CPU: ConvCpu = { isa: "avx512", l2Bytes: 512 * 1024, threads: 1, blas: "openblas" };

/** A convolution as ComfyUI calls it: `[batch, channels, height, width]` input already reflect-padded
 * by `radius`, a `(2·radius+1)²` kernel per channel, `groups = channels`, zero padding `radius`, stride 1. */
export interface DepthwiseConvShape {
  readonly batch: number;
  readonly channels: number;
  /** Height and width of the reflect-padded input (the image's plus 2·radius). */
  readonly height: number;
  readonly width: number;
  readonly radius: number;
}

export type ConvKernel = "thnn-slow" | "onednn-jit" | "onednn-gemm" | "onednn-ref";

/** Whether `kernel` fuses each tap's multiply and add into one FMA on `cpu`. */
export function fusesMultiplyAdd(kernel: ConvKernel, cpu: ConvCpu = REFERENCE_CPU): boolean {
  return kernel === "thnn-slow" ? cpu.blas === "openblas" : kernel !== "onednn-ref";
}

/** The kernel torch 1.13 + oneDNN 2.6 run for `shape` on `cpu`. */
export function convKernel(shape: DepthwiseConvShape, cpu: ConvCpu = REFERENCE_CPU): ConvKernel {
  const { batch, channels, height, width, radius } = shape;
  const k = 2 * radius + 1;
  // ConvParams::use_mkldnn: grouped, or a kernel over 3×3, or a batch, or a large input.
  const mkldnn = channels > 1 || k > 3 || batch > 1 || batch * channels * height * width > 20480;
  if (!mkldnn) return "thnn-slow";
  // The JIT kernels need the left padding within one register block of outputs (`l_pad <= ur_w`):
  // 6 (AVX-512) or 4 (AVX2) outputs for depthwise, up to 28 (AVX-512) or 3 (AVX2's first-layer
  // kernel) for one channel. Output width equals the padded input width here.
  const urW =
    channels > 1
      ? Math.min(cpu.isa === "avx512" ? 6 : 4, width)
      : Math.min(cpu.isa === "avx512" ? 28 : 3, width);
  if (radius <= urW) return "onednn-jit";
  return gemmAccepts(shape, cpu) ? "onednn-gemm" : "onednn-ref";
}

const divUp = (a: number, b: number) => Math.trunc((a + b - 1) / b);
const rndUp = (a: number, b: number) => divUp(a, b) * b;
const rndDn = (a: number, b: number) => Math.trunc(a / b) * b;
const saturate = (low: number, upper: number, a: number) => Math.max(low, Math.min(upper, a));
const f = Math.fround;

/**
 * oneDNN 2.6 `jit_gemm_convolution_utils::init_conf` (forward, f32, plain NCHW): the im2col buffer's
 * spatial block is picked by a cost model, and the GEMM convolution is refused when that buffer
 * exceeds the scratchpad limit (15 × threads × the tensors' bytes).
 */
function gemmAccepts(shape: DepthwiseConvShape, cpu: ConvCpu): boolean {
  const { batch: mb, channels, height: ih, width: iw, radius } = shape;
  const k = 2 * radius + 1;
  const ngroups = channels;
  const ic = 1;
  const oc = 1;
  const os = ih * iw;
  const ks = k * k;
  const T = cpu.threads;
  const simdW = cpu.isa === "avx512" ? 16 : 8;
  const L2 = Math.trunc(cpu.l2Bytes / 4);
  const spatial = mb * ngroups * os;
  const K = ic * ks;

  let osBlock = os;
  let icBlock = ic;
  let outerThreading: boolean;
  const blocking = spatial >= T * simdW || os < mb * ngroups || K <= 0.05 * oc;
  if (blocking) {
    const minOcBlock = 8;
    const minOsBlock = simdW;
    const kSum = f(8 + 1 + 1 + 1 + 1 + 1 + 0.5 + 1);
    let best = { eff: 0, ocb: 1, osb: 1, icb: ic };
    const calcMaxIcb = (ocb: number, osb: number, ocPerThr: number, osPerThr: number) => {
      const blockOut = ocb * osb;
      const inpRow = osb;
      const colRow = ks * osb;
      let maxIcb: number;
      if (osb >= osPerThr) {
        maxIcb = Math.trunc(L2 / (inpRow + colRow));
        if (ocb < ocPerThr) maxIcb = Math.min(maxIcb, Math.trunc((L2 - blockOut) / (colRow + ks * ocb)));
      } else {
        maxIcb = Math.trunc((L2 - blockOut) / (inpRow + colRow + ks * ocPerThr));
      }
      if (maxIcb < ic) maxIcb = Math.trunc((L2 - blockOut) / (inpRow + colRow + ks * ocPerThr));
      return maxIcb;
    };
    const tryCfg = (nthrOc: number, ocbIn: number, osbIn: number) => {
      const maxOc = divUp(oc, nthrOc);
      const minOc = Math.max(1, Math.trunc(oc / nthrOc));
      const maxOs = divUp(spatial, Math.trunc(T / nthrOc));
      let ocb = saturate(minOcBlock, maxOc, ocbIn);
      let osb = saturate(minOsBlock, maxOs, osbIn);
      let maxThrSize: number;
      const minOsA = divUp(spatial, divUp(T, nthrOc));
      if (oc % nthrOc > T % nthrOc) maxThrSize = maxOc * maxOs;
      else maxThrSize = Math.max(maxOc * minOsA, minOc * maxOs);
      let minThrSize: number;
      const minOsB = Math.max(1, Math.trunc(spatial / divUp(T, nthrOc)));
      if (T % nthrOc > oc % nthrOc) minThrSize = minOc * minOsB;
      else minThrSize = Math.min(maxOc * minOsB, minOc * Math.trunc(spatial / Math.trunc(T / nthrOc)));
      const thrDisb = f(minThrSize / maxThrSize);
      const ocPerThr = maxOc;
      const osPerThr = maxOs;
      ocb = Math.min(ocPerThr, ocb);
      const osMax = Math.min(os, osPerThr);
      osb = Math.min(osMax, osb);
      let maxIcBlock = calcMaxIcb(ocb, osb, ocPerThr, osPerThr);
      const memCost = maxIcBlock < 1 ? 20 : 1;
      maxIcBlock = Math.max(1, maxIcBlock);
      const icb = Math.max(1, Math.trunc(ic / divUp(ic, maxIcBlock)));
      const nbIc = divUp(ic, icb);
      const kb = icb * ks;
      const kbCaligned = rndUp(kb, simdW);
      const outSize = ocPerThr * rndUp(osPerThr, simdW);
      const outOps = memCost * outSize * (icb === ic ? 1 : 2 * nbIc - 1);
      const osbCaligned = rndUp(osb, simdW);
      const inpSize = ic * rndUp(osPerThr, simdW);
      const inpOps = memCost * ks * inpSize;
      const colTail = f(osbCaligned / osb);
      const colPart = f(f(ks * inpSize) * colTail);
      const colOps = Math.trunc(f(memCost * f(colPart + colPart)));
      const weiOps = memCost * ocPerThr * rndUp(K, simdW);
      const thrMemEff = f(f(f(f(osPerThr / simdW) * ocPerThr) * K) / f(inpOps + colOps + weiOps + outOps));
      const ocDisb = f(ocPerThr / rndUp(ocPerThr, ocb));
      const osDisb = f(osMax / rndUp(osMax, osb));
      const icDisb = f(ic / rndUp(ic, icb));
      const regOsbDisb = f(osb / rndUp(osb, 3 * simdW));
      const gemmEff = f(f(f(osb * ocb) * kb) / f(f(ocPerThr * osPerThr) * K));
      const gemmCalcEff = f(
        f(f(f(osb / simdW) * ocb) * kb) / f(osbCaligned * kb + ocb * kbCaligned + ocb * osbCaligned),
      );
      const product =
        f(thrDisb ** 8) * ocDisb * osDisb * icDisb * regOsbDisb * thrMemEff * f(gemmEff ** 0.5) * gemmCalcEff;
      const eff = f(f(product) ** f(1 / kSum));
      if (eff > best.eff) best = { eff, ocb, osb, icb };
    };
    const exploreCfg = (nthrOc: number, ocb: number, osb: number) => {
      tryCfg(nthrOc, ocb, osb);
      tryCfg(nthrOc, rndDn(ocb, 8), rndDn(osb, 48));
      tryCfg(nthrOc, rndUp(ocb, 8), rndDn(osb, 48));
      tryCfg(nthrOc, rndUp(ocb, 8), rndUp(osb, minOsBlock));
      tryCfg(nthrOc, rndUp(ocb, 8), rndUp(osb, 48));
    };
    for (let nthrOc = 1; nthrOc <= T; nthrOc++) {
      const maxOcPerThr = divUp(oc, nthrOc);
      const maxOsPerThr = divUp(spatial, Math.trunc(T / nthrOc));
      tryCfg(nthrOc, maxOcPerThr, maxOsPerThr);
      if (best.ocb === maxOcPerThr && best.osb === maxOsPerThr && best.icb === ic) continue;
      const aK = 1 + ks;
      const bK = ks * maxOcPerThr;
      let ocb = saturate(
        minOcBlock,
        maxOcPerThr,
        Math.trunc((L2 - aK * ic * minOsBlock - bK * ic) / minOsBlock),
      );
      let osb = saturate(minOsBlock, maxOsPerThr, Math.trunc((L2 - bK * ic) / (aK * ic + ocb)));
      exploreCfg(nthrOc, ocb, osb);
      // (oneDNN's second try only applies when more than one input channel is blocked.)
      ocb = maxOcPerThr;
      osb = Math.max(minOsBlock, rndDn(Math.trunc((L2 - bK * ic) / (aK * ic + ocb)), minOsBlock));
      exploreCfg(nthrOc, ocb, osb);
    }
    outerThreading = true;
    osBlock = best.osb;
    icBlock = best.icb;
  } else {
    const outerWork = ngroups * mb;
    const outerEff = f(outerWork / rndUp(outerWork, T));
    const innerWork = divUp(os, simdW) * divUp(oc, simdW);
    const innerEff = f(innerWork / rndUp(innerWork, T));
    outerThreading =
      Math.trunc(os / T) < 512 &&
      (mb !== 1 || ngroups > 2) &&
      (f(outerEff / innerEff) >= 1 || Math.trunc((os * ic * oc) / T) < 64 * 1024);
  }
  const im2colSize = icBlock * ks * osBlock;
  const nthr = outerThreading ? T : 1;
  const scratchpadBytes = nthr * im2colSize * 4 + 128; // one booking, aligned to 128 bytes
  const tensorsBytes = 4 * (mb * channels * ih * iw + channels * ks + mb * channels * ih * iw);
  return scratchpadBytes <= Math.min(2 ** 30, 15 * T * tensorsBytes);
}
