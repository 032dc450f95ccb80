import { COMBO, defineNode, FLOAT, INT, type InputSpec, out, U64_MAX, V3COMBO } from "./define.js";

const MOD = "comfy_extras.nodes_custom_sampler";
const SAMPLERS_CAT = "sampling/custom_sampling/samplers";

/** A sampler choice with its options: data only, since this server runs no models. */
export interface SamplerObject {
  readonly kind: "sampler";
  readonly name: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A noise source (`RandomNoise`, `DisableNoise`). */
export interface NoiseObject {
  readonly kind: "noise";
  readonly seed: bigint | undefined;
}

/** `comfy.samplers.SAMPLER_NAMES` of ComfyUI 0.3.65. */
export const SAMPLER_NAMES = [
  "euler",
  "euler_cfg_pp",
  "euler_ancestral",
  "euler_ancestral_cfg_pp",
  "heun",
  "heunpp2",
  "dpm_2",
  "dpm_2_ancestral",
  "lms",
  "dpm_fast",
  "dpm_adaptive",
  "dpmpp_2s_ancestral",
  "dpmpp_2s_ancestral_cfg_pp",
  "dpmpp_sde",
  "dpmpp_sde_gpu",
  "dpmpp_2m",
  "dpmpp_2m_cfg_pp",
  "dpmpp_2m_sde",
  "dpmpp_2m_sde_gpu",
  "dpmpp_2m_sde_heun",
  "dpmpp_2m_sde_heun_gpu",
  "dpmpp_3m_sde",
  "dpmpp_3m_sde_gpu",
  "ddpm",
  "lcm",
  "ipndm",
  "ipndm_v",
  "deis",
  "res_multistep",
  "res_multistep_cfg_pp",
  "res_multistep_ancestral",
  "res_multistep_ancestral_cfg_pp",
  "gradient_estimation",
  "gradient_estimation_cfg_pp",
  "er_sde",
  "seeds_2",
  "seeds_3",
  "sa_solver",
  "sa_solver_pece",
  "ddim",
  "uni_pc",
  "uni_pc_bh2",
] as const;

/** `comfy.samplers.SCHEDULER_NAMES` of ComfyUI 0.3.65. */
export const SCHEDULER_NAMES = [
  "simple",
  "sgm_uniform",
  "karras",
  "exponential",
  "ddim_uniform",
  "beta",
  "normal",
  "linear_quadratic",
  "kl_optimal",
] as const;

const R = (o: Record<string, unknown>) => FLOAT({ ...o, round: false });
const ETA = R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 });
const S_NOISE = R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 });
const NOISE_DEVICE = COMBO(["gpu", "cpu"]);

function sampler(
  name: string,
  samplerName: string,
  required: Record<string, InputSpec>,
  display?: string,
  extra: { module?: string; category?: string; v3?: boolean; experimental?: boolean } = {},
) {
  return defineNode(
    {
      name,
      ...(display !== undefined ? { display } : {}),
      category: extra.category ?? SAMPLERS_CAT,
      module: extra.module ?? MOD,
      ...(extra.v3 ? { v3: true } : {}),
      ...(extra.experimental ? { experimental: true } : {}),
      required,
      outputs: [["SAMPLER"]],
    },
    (inputs) => out({ kind: "sampler", name: samplerName, options: { ...inputs } } satisfies SamplerObject),
  );
}

export const kSamplerSelect = defineNode(
  {
    name: "KSamplerSelect",
    category: SAMPLERS_CAT,
    module: MOD,
    required: { sampler_name: COMBO(SAMPLER_NAMES) },
    outputs: [["SAMPLER"]],
  },
  (inputs) => out({ kind: "sampler", name: inputs.sampler_name, options: {} } satisfies SamplerObject),
);

export const samplerNodes = [
  kSamplerSelect,
  sampler("SamplerEulerAncestral", "euler_ancestral", { eta: ETA, s_noise: S_NOISE }),
  sampler(
    "SamplerEulerAncestralCFGPP",
    "euler_ancestral_cfg_pp",
    {
      eta: R({ default: 1.0, min: 0.0, max: 1.0, step: 0.01 }),
      s_noise: R({ default: 1.0, min: 0.0, max: 10.0, step: 0.01 }),
    },
    "SamplerEulerAncestralCFG++",
  ),
  sampler("SamplerLMS", "lms", { order: INT({ default: 4, min: 1, max: 100 }) }),
  sampler("SamplerDPMPP_3M_SDE", "dpmpp_3m_sde", { eta: ETA, s_noise: S_NOISE, noise_device: NOISE_DEVICE }),
  sampler("SamplerDPMPP_2M_SDE", "dpmpp_2m_sde", {
    solver_type: COMBO(["midpoint", "heun"]),
    eta: ETA,
    s_noise: S_NOISE,
    noise_device: NOISE_DEVICE,
  }),
  sampler("SamplerDPMPP_SDE", "dpmpp_sde", {
    eta: ETA,
    s_noise: S_NOISE,
    r: R({ default: 0.5, min: 0.0, max: 100.0, step: 0.01 }),
    noise_device: NOISE_DEVICE,
  }),
  sampler("SamplerDPMPP_2S_Ancestral", "dpmpp_2s_ancestral", { eta: ETA, s_noise: S_NOISE }),
  sampler("SamplerDPMAdaptative", "dpm_adaptive", {
    order: INT({ default: 3, min: 2, max: 3 }),
    rtol: R({ default: 0.05, min: 0.0, max: 100.0, step: 0.01 }),
    atol: R({ default: 0.0078, min: 0.0, max: 100.0, step: 0.01 }),
    h_init: R({ default: 0.05, min: 0.0, max: 100.0, step: 0.01 }),
    pcoeff: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    icoeff: R({ default: 1.0, min: 0.0, max: 100.0, step: 0.01 }),
    dcoeff: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    accept_safety: R({ default: 0.81, min: 0.0, max: 100.0, step: 0.01 }),
    eta: R({ default: 0.0, min: 0.0, max: 100.0, step: 0.01 }),
    s_noise: S_NOISE,
  }),
  sampler("SamplerER_SDE", "er_sde", {
    solver_type: ["COMBO", { options: ["ER-SDE", "Reverse-time SDE", "ODE"] }],
    max_stage: INT({ default: 3, min: 1, max: 3 }),
    eta: R({
      default: 1.0,
      min: 0.0,
      max: 100.0,
      step: 0.01,
      tooltip:
        "Stochastic strength of reverse-time SDE.\nWhen eta=0, it reduces to deterministic ODE. This setting doesn't apply to ER-SDE solver type.",
    }),
    s_noise: S_NOISE,
  }),
  sampler(
    "SamplerLCMUpscale",
    "lcm_upscale",
    {
      scale_ratio: FLOAT({ default: 1.0, min: 0.1, max: 20.0, step: 0.01 }),
      scale_steps: INT({ default: -1, min: -1, max: 1000, step: 1 }),
      upscale_method: V3COMBO(["bislerp", "nearest-exact", "bilinear", "area", "bicubic"]),
    },
    undefined,
    { module: "comfy_extras.nodes_advanced_samplers", v3: true },
  ),
  sampler(
    "SamplerEulerCFGpp",
    "euler_cfg_pp",
    { version: V3COMBO(["regular", "alternative"]) },
    "SamplerEulerCFG++",
    {
      module: "comfy_extras.nodes_advanced_samplers",
      category: "_for_testing",
      v3: true,
      experimental: true,
    },
  ),
  defineNode(
    {
      name: "RandomNoise",
      category: "sampling/custom_sampling/noise",
      module: MOD,
      required: { noise_seed: INT({ default: 0, min: 0, max: U64_MAX, control_after_generate: true }) },
      outputs: [["NOISE"]],
    },
    (inputs) =>
      out({
        kind: "noise",
        seed: BigInt(inputs.noise_seed),
      } satisfies NoiseObject),
  ),
  defineNode(
    {
      name: "DisableNoise",
      category: "sampling/custom_sampling/noise",
      module: MOD,
      required: {},
      outputs: [["NOISE"]],
    },
    () => out({ kind: "noise", seed: undefined } satisfies NoiseObject),
  ),
];
