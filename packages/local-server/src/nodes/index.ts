import type { ListedOnlyNode, NodeImpl } from "../execution/node-impl.js";
import * as ace from "./ace.js";
import * as advancedSamplers from "./advanced-samplers.js";
import * as alignYourSteps from "./align-your-steps.js";
import * as audio from "./audio.js";
import * as builtinImage from "./builtin/image.js";
import * as builtinLatent from "./builtin/latent.js";
import * as builtinLatentFiles from "./builtin/latent-files.js";
import * as builtinLoadImage from "./builtin/load-image.js";
import * as builtinModels from "./builtin/models.js";
import * as builtinSaveImage from "./builtin/save-image.js";
import * as builtinVae from "./builtin/vae.js";
import * as chromaRadiance from "./chroma-radiance.js";
import * as clipSdxl from "./clip-sdxl.js";
import * as compositing from "./compositing.js";
import * as cosmos from "./cosmos.js";
import * as customSampler from "./custom-sampler.js";
import * as flux from "./flux.js";
import * as gits from "./gits.js";
import * as hooks from "./hooks.js";
import * as hunyuan from "./hunyuan.js";
import * as hunyuan3d from "./hunyuan3d.js";
import * as images from "./images.js";
import * as latent from "./latent.js";
import * as load3d from "./load-3d.js";
import * as loraExtract from "./lora-extract.js";
import * as lt from "./lt.js";
import * as mask from "./mask.js";
import * as mochi from "./mochi.js";
import * as optimalsteps from "./optimalsteps.js";
import * as postProcessing from "./post-processing.js";
import * as previewAny from "./preview-any.js";
import * as primitive from "./primitive.js";
import * as rebatch from "./rebatch.js";
import * as sd3 from "./sd3.js";
import * as stableCascade from "./stable-cascade.js";
import * as string from "./string.js";
import * as upscaleModel from "./upscale-model.js";
import * as video from "./video.js";
import * as wan from "./wan.js";
import * as websocketImageSave from "./websocket-image-save.js";

/**
 * Every node class of the local server, one module file per ComfyUI module (see README.md), in the
 * order ComfyUI 0.3.65 loads those modules.
 */
const all: readonly (NodeImpl | ListedOnlyNode)[] = [
  ...builtinModels.nodes,
  ...builtinVae.nodes,
  ...builtinLatent.nodes,
  ...builtinSaveImage.nodes,
  ...builtinLoadImage.nodes,
  ...builtinImage.nodes,
  ...builtinLatentFiles.nodes,
  ...latent.nodes,
  ...upscaleModel.nodes,
  ...postProcessing.nodes,
  ...mask.nodes,
  ...compositing.nodes,
  ...rebatch.nodes,
  ...clipSdxl.nodes,
  ...customSampler.nodes,
  ...images.nodes,
  ...stableCascade.nodes,
  ...alignYourSteps.nodes,
  ...advancedSamplers.nodes,
  ...audio.nodes,
  ...sd3.nodes,
  ...gits.nodes,
  ...hunyuan.nodes,
  ...flux.nodes,
  ...loraExtract.nodes,
  ...mochi.nodes,
  ...lt.nodes,
  ...hooks.nodes,
  ...load3d.nodes,
  ...cosmos.nodes,
  ...video.nodes,
  ...wan.nodes,
  ...hunyuan3d.nodes,
  ...primitive.nodes,
  ...optimalsteps.nodes,
  ...previewAny.nodes,
  ...ace.nodes,
  ...string.nodes,
  ...chromaRadiance.nodes,
  ...websocketImageSave.nodes,
];

function runnable(node: NodeImpl | ListedOnlyNode): node is NodeImpl {
  return "execute" in node;
}

/** Every node class the local server runs, with ComfyUI 0.3.65's definitions and numerics. */
export const nodeImpls: readonly NodeImpl[] = all.filter(runnable);

/** Model nodes: listed so graphs validate, but this server cannot run them. */
export const listedOnlyNodes: readonly ListedOnlyNode[] = all.filter((node) => !runnable(node));
