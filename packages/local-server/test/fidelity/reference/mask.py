# comfy_extras/nodes_mask.py
def composite(destination, source, x, y, mask=None, multiplier=8, resize_source=False):
    source = source.to(destination.device)
    if resize_source:
        source = torch.nn.functional.interpolate(source, size=(destination.shape[-2], destination.shape[-1]), mode="bilinear")
    source = repeat_to_batch_size(source, destination.shape[0])
    x = max(-source.shape[-1] * multiplier, min(x, destination.shape[-1] * multiplier))
    y = max(-source.shape[-2] * multiplier, min(y, destination.shape[-2] * multiplier))
    left, top = (x // multiplier, y // multiplier)
    right, bottom = (left + source.shape[-1], top + source.shape[-2])
    if mask is None:
        mask = torch.ones_like(source)
    else:
        mask = mask.to(destination.device, copy=True)
        mask = torch.nn.functional.interpolate(mask.reshape((-1, 1, mask.shape[-2], mask.shape[-1])), size=(source.shape[-2], source.shape[-1]), mode="bilinear")
        mask = repeat_to_batch_size(mask, source.shape[0])
    visible_width, visible_height = (destination.shape[-1] - left + min(0, x), destination.shape[-2] - top + min(0, y))
    mask = mask[:, :, :visible_height, :visible_width]
    if mask.ndim < source.ndim:
        mask = mask.unsqueeze(1)
    inverse_mask = torch.ones_like(mask) - mask
    source_portion = mask * source[..., :visible_height, :visible_width]
    destination_portion = inverse_mask * destination[..., top:bottom, left:right]
    destination[..., top:bottom, left:right] = source_portion + destination_portion
    return destination


@node("LatentCompositeMasked")
def latent_composite_masked(destination, source, x, y, resize_source, mask=None):
    output = destination.copy()
    destination = destination["samples"].clone()
    source = source["samples"]
    output["samples"] = composite(destination, source, x, y, mask, 8, resize_source)
    return output


@node("ImageCompositeMasked")
def image_composite_masked(destination, source, x, y, resize_source, mask=None):
    destination, source = image_alpha_fix(destination, source)
    destination = destination.clone().movedim(-1, 1)
    return composite(destination, source.movedim(-1, 1), x, y, mask, 1, resize_source).movedim(1, -1)


@node("MaskToImage")
def mask_to_image(mask):
    return mask.reshape((-1, 1, mask.shape[-2], mask.shape[-1])).movedim(1, -1).expand(-1, -1, -1, 3)


@node("ImageToMask")
def image_to_mask(image, channel):
    channels = ["red", "green", "blue", "alpha"]
    return image[:, :, :, channels.index(channel)]


@node("ImageColorToMask")
def image_color_to_mask(image, color):
    temp = (torch.clamp(image, 0, 1.0) * 255.0).round().to(torch.int)
    temp = torch.bitwise_left_shift(temp[:, :, :, 0], 16) + torch.bitwise_left_shift(temp[:, :, :, 1], 8) + temp[:, :, :, 2]
    return torch.where(temp == color, 1.0, 0).float()


@node("SolidMask")
def solid_mask(value, width, height):
    return torch.full((1, height, width), value, dtype=torch.float32, device="cpu")


@node("InvertMask")
def invert_mask(mask):
    return 1.0 - mask


@node("CropMask")
def crop_mask(mask, x, y, width, height):
    mask = mask.reshape((-1, mask.shape[-2], mask.shape[-1]))
    return mask[:, y : y + height, x : x + width]


@node("MaskComposite")
def mask_composite(destination, source, x, y, operation):
    output = destination.reshape((-1, destination.shape[-2], destination.shape[-1])).clone()
    source = source.reshape((-1, source.shape[-2], source.shape[-1]))
    left, top = (x, y)
    right, bottom = (min(left + source.shape[-1], destination.shape[-1]), min(top + source.shape[-2], destination.shape[-2]))
    visible_width, visible_height = (right - left, bottom - top)
    source_portion = source[:, :visible_height, :visible_width]
    destination_portion = output[:, top:bottom, left:right]
    if operation == "multiply":
        output[:, top:bottom, left:right] = destination_portion * source_portion
    elif operation == "add":
        output[:, top:bottom, left:right] = destination_portion + source_portion
    elif operation == "subtract":
        output[:, top:bottom, left:right] = destination_portion - source_portion
    elif operation == "and":
        output[:, top:bottom, left:right] = torch.bitwise_and(destination_portion.round().bool(), source_portion.round().bool()).float()
    elif operation == "or":
        output[:, top:bottom, left:right] = torch.bitwise_or(destination_portion.round().bool(), source_portion.round().bool()).float()
    elif operation == "xor":
        output[:, top:bottom, left:right] = torch.bitwise_xor(destination_portion.round().bool(), source_portion.round().bool()).float()
    return torch.clamp(output, 0.0, 1.0)


@node("FeatherMask")
def feather_mask(mask, left, top, right, bottom):
    output = mask.reshape((-1, mask.shape[-2], mask.shape[-1])).clone()
    left = min(left, output.shape[-1])
    right = min(right, output.shape[-1])
    top = min(top, output.shape[-2])
    bottom = min(bottom, output.shape[-2])
    for x in range(left):
        feather_rate = (x + 1.0) / left
        output[:, :, x] *= feather_rate
    for x in range(right):
        feather_rate = (x + 1) / right
        output[:, :, -x] *= feather_rate
    for y in range(top):
        feather_rate = (y + 1) / top
        output[:, y, :] *= feather_rate
    for y in range(bottom):
        feather_rate = (y + 1) / bottom
        output[:, -y, :] *= feather_rate
    return output


@node("GrowMask")
def grow_mask(mask, expand, tapered_corners):
    import scipy.ndimage

    c = 0 if tapered_corners else 1
    kernel = np.array([[c, 1, c], [1, 1, 1], [c, 1, c]])
    mask = mask.reshape((-1, mask.shape[-2], mask.shape[-1]))
    out = []
    for m in mask:
        output = m.numpy()
        for _ in range(abs(expand)):
            if expand < 0:
                output = scipy.ndimage.grey_erosion(output, footprint=kernel)
            else:
                output = scipy.ndimage.grey_dilation(output, footprint=kernel)
        output = torch.from_numpy(output)
        out.append(output)
    return torch.stack(out, dim=0)


@node("ThresholdMask")
def threshold_mask(mask, value):
    return (mask > value).float()
