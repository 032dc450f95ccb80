# comfy_extras/nodes_images.py ImageAddNoise.repeat
@node("ImageAddNoise")
def image_add_noise(image, seed, strength):
    generator = torch.manual_seed(seed)
    s = torch.clip((image + strength * torch.randn(image.size(), generator=generator, device="cpu").to(image)).movedim(-1, 1), min=0.0, max=1.0).movedim(1, -1)
    return s


# nodes.py EmptyImage.generate
@node("EmptyImage")
def empty_image(width, height, batch_size, color):
    r = torch.full([batch_size, height, width, 1], ((color >> 16) & 0xFF) / 0xFF)
    g = torch.full([batch_size, height, width, 1], ((color >> 8) & 0xFF) / 0xFF)
    b = torch.full([batch_size, height, width, 1], ((color) & 0xFF) / 0xFF)
    return torch.cat((r, g, b), dim=-1)


# nodes.py ImageInvert.invert
@node("ImageInvert")
def image_invert(image):
    return 1.0 - image


# nodes.py ImagePadForOutpaint.expand_image
@node("ImagePadForOutpaint")
def image_pad_for_outpaint(image, left, top, right, bottom, feathering):
    d1, d2, d3, d4 = image.size()
    new_image = torch.ones((d1, d2 + top + bottom, d3 + left + right, d4), dtype=torch.float32) * 0.5
    new_image[:, top : top + d2, left : left + d3, :] = image
    mask = torch.ones((d2 + top + bottom, d3 + left + right), dtype=torch.float32)
    t = torch.zeros((d2, d3), dtype=torch.float32)
    if feathering > 0 and feathering * 2 < d2 and feathering * 2 < d3:
        for i in range(d2):
            for j in range(d3):
                dt = i if top != 0 else d2
                db = d2 - i if bottom != 0 else d2
                dl = j if left != 0 else d3
                dr = d3 - j if right != 0 else d3
                d = min(dt, db, dl, dr)
                if d >= feathering:
                    continue
                v = (feathering - d) / feathering
                t[i, j] = v * v
    mask[top : top + d2, left : left + d3] = t
    return (new_image, mask.unsqueeze(0))


# comfy_extras/nodes_images.py ImageCrop.crop
@node("ImageCrop")
def image_crop(image, width, height, x, y):
    x = min(x, image.shape[2] - 1)
    y = min(y, image.shape[1] - 1)
    to_x = width + x
    to_y = height + y
    return image[:, y:to_y, x:to_x, :]


# comfy_extras/nodes_images.py RepeatImageBatch.repeat
@node("RepeatImageBatch")
def repeat_image_batch(image, amount):
    return image.repeat((amount, 1, 1, 1))


# comfy_extras/nodes_images.py ImageFromBatch.frombatch
@node("ImageFromBatch")
def image_from_batch(image, batch_index, length):
    batch_index = min(image.shape[0] - 1, batch_index)
    length = min(image.shape[0] - batch_index, length)
    return image[batch_index : batch_index + length].clone()
