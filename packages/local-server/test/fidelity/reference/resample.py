# nodes.py ImageScale.upscale
@node("ImageScale")
def image_scale(image, upscale_method, width, height, crop):
    if width == 0 and height == 0:
        return image
    samples = image.movedim(-1, 1)
    if width == 0:
        width = max(1, round(samples.shape[3] * height / samples.shape[2]))
    elif height == 0:
        height = max(1, round(samples.shape[2] * width / samples.shape[3]))
    s = common_upscale(samples, width, height, upscale_method, crop)
    return s.movedim(1, -1)


# nodes.py ImageScaleBy.upscale
@node("ImageScaleBy")
def image_scale_by(image, upscale_method, scale_by):
    samples = image.movedim(-1, 1)
    width = round(samples.shape[3] * scale_by)
    height = round(samples.shape[2] * scale_by)
    s = common_upscale(samples, width, height, upscale_method, "disabled")
    return s.movedim(1, -1)


# comfy_extras/nodes_post_processing.py ImageScaleToTotalPixels.execute
@node("ImageScaleToTotalPixels")
def image_scale_to_total_pixels(image, upscale_method, megapixels):
    samples = image.movedim(-1, 1)
    total = int(megapixels * 1024 * 1024)
    scale_by = math.sqrt(total / (samples.shape[3] * samples.shape[2]))
    width = round(samples.shape[3] * scale_by)
    height = round(samples.shape[2] * scale_by)
    s = common_upscale(samples, width, height, upscale_method, "disabled")
    return s.movedim(1, -1)


# nodes.py LatentUpscale.upscale
@node("LatentUpscale")
def latent_upscale(samples, upscale_method, width, height, crop):
    if width == 0 and height == 0:
        return samples
    s = samples.copy()
    if width == 0:
        height = max(64, height)
        width = max(64, round(samples["samples"].shape[-1] * height / samples["samples"].shape[-2]))
    elif height == 0:
        width = max(64, width)
        height = max(64, round(samples["samples"].shape[-2] * width / samples["samples"].shape[-1]))
    else:
        width = max(64, width)
        height = max(64, height)
    s["samples"] = common_upscale(samples["samples"], width // 8, height // 8, upscale_method, crop)
    return s


# nodes.py LatentUpscaleBy.upscale
@node("LatentUpscaleBy")
def latent_upscale_by(samples, upscale_method, scale_by):
    s = samples.copy()
    width = round(samples["samples"].shape[-1] * scale_by)
    height = round(samples["samples"].shape[-2] * scale_by)
    s["samples"] = common_upscale(samples["samples"], width, height, upscale_method, "disabled")
    return s
