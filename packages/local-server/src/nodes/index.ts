import type { ListedOnlyNode, NodeImpl } from "../execution/node-impl.js";
import { audioNodes } from "./audio.js";
import {
  emptyImage,
  imageBatch,
  imageInvert,
  imagePadForOutpaint,
  imageScale,
  imageScaleBy,
} from "./builtin/image.js";
import {
  emptyChromaRadianceLatentImage,
  emptyLatentImage,
  latentAdd,
  latentBatch,
  latentBatchSeedBehavior,
  latentBlend,
  latentComposite,
  latentCrop,
  latentFlip,
  latentFromBatch,
  latentInterpolate,
  latentMultiply,
  latentRotate,
  latentSubtract,
  latentUpscale,
  latentUpscaleBy,
  repeatLatentBatch,
  setLatentNoiseMask,
} from "./builtin/latent.js";
import { loadLatent, saveLatent } from "./builtin/latent-files.js";
import { loadImage, loadImageMask } from "./builtin/load-image.js";
import { modelNodes } from "./builtin/models.js";
import {
  maskPreview,
  previewImage,
  saveAnimatedPng,
  saveAnimatedWebp,
  saveImage,
  saveImageWebsocket,
} from "./builtin/save-image.js";
import {
  vaeDecode,
  vaeDecodeTiled,
  vaeEncode,
  vaeEncodeForInpaint,
  vaeEncodeTiled,
  vaeLoader,
} from "./builtin/vae.js";
import { joinImageWithAlpha, splitImageWithAlpha } from "./compositing.js";
import { samplerNodes } from "./custom-sampler.js";
import { emptyLatentNodes } from "./empty-latents.js";
import { fluxKontextImageScale } from "./flux.js";
import * as hooks from "./hooks.js";
import {
  getImageSize,
  imageAddNoise,
  imageCrop,
  imageFlip,
  imageFromBatch,
  imageRotate,
  imageScaleToMaxDimension,
  imageStitch,
  repeatImageBatch,
  resizeAndPadImage,
} from "./images.js";
import {
  latentApplyOperation,
  latentCompositeMasked,
  latentConcat,
  latentCut,
  latentOperationSharpen,
  latentOperationTonemapReinhard,
} from "./latent.js";
import {
  cropMask,
  featherMask,
  growMask,
  imageColorToMask,
  imageCompositeMasked,
  imageToMask,
  invertMask,
  maskComposite,
  maskToImage,
  solidMask,
  thresholdMask,
} from "./mask.js";
import { miscNodes } from "./misc.js";
import { porterDuffImageComposite } from "./porter-duff.js";
import { imageBlend, imageBlur, imageScaleToTotalPixels, imageSharpen } from "./post-processing.js";
import { previewAny } from "./preview-any.js";
import * as primitive from "./primitive.js";
import { imageQuantize } from "./quantize.js";
import * as rebatch from "./rebatch.js";
import {
  exponentialScheduler,
  karrasScheduler,
  laplaceScheduler,
  ltxvScheduler,
  polyexponentialScheduler,
  vpScheduler,
} from "./schedulers.js";
import * as string from "./string.js";
import { unsupportedNodes } from "./unsupported.js";

/** Every node class the local server runs, with ComfyUI 0.3.65's definitions and numerics. */
export const nodeImpls: readonly NodeImpl[] = [
  // nodes.py
  vaeLoader,
  emptyLatentImage,
  latentUpscale,
  latentUpscaleBy,
  latentFromBatch,
  repeatLatentBatch,
  saveImage,
  previewImage,
  loadImage,
  loadImageMask,
  imageScale,
  imageScaleBy,
  imageInvert,
  imageBatch,
  imagePadForOutpaint,
  emptyImage,
  setLatentNoiseMask,
  latentComposite,
  latentBlend,
  latentRotate,
  latentFlip,
  latentCrop,
  vaeDecode,
  vaeDecodeTiled,
  vaeEncode,
  vaeEncodeForInpaint,
  vaeEncodeTiled,
  saveLatent,
  loadLatent,
  // comfy_extras
  latentAdd,
  latentSubtract,
  latentMultiply,
  latentInterpolate,
  latentBatch,
  latentBatchSeedBehavior,
  imageBlend,
  imageBlur,
  imageSharpen,
  imageScaleToTotalPixels,
  imageCompositeMasked,
  maskToImage,
  imageToMask,
  imageColorToMask,
  solidMask,
  invertMask,
  cropMask,
  maskComposite,
  featherMask,
  growMask,
  thresholdMask,
  maskPreview,
  splitImageWithAlpha,
  joinImageWithAlpha,
  imageCrop,
  repeatImageBatch,
  imageFromBatch,
  imageAddNoise,
  imageStitch,
  resizeAndPadImage,
  getImageSize,
  imageRotate,
  imageFlip,
  imageScaleToMaxDimension,
  emptyChromaRadianceLatentImage,
  previewAny,
  saveImageWebsocket,
  saveAnimatedPng,
  saveAnimatedWebp,
  imageQuantize,
  latentConcat,
  latentCut,
  latentApplyOperation,
  latentOperationSharpen,
  latentOperationTonemapReinhard,
  latentCompositeMasked,
  porterDuffImageComposite,
  fluxKontextImageScale,
  karrasScheduler,
  exponentialScheduler,
  polyexponentialScheduler,
  vpScheduler,
  laplaceScheduler,
  ltxvScheduler,
  ...hooks.nodes,
  ...primitive.nodes,
  ...string.nodes,
  ...rebatch.nodes,
  ...miscNodes,
  ...audioNodes,
  ...unsupportedNodes,
  ...samplerNodes,
  ...emptyLatentNodes,
];

/** Model nodes: listed so graphs validate, but this server cannot run them. */
export const listedOnlyNodes: readonly ListedOnlyNode[] = modelNodes;
