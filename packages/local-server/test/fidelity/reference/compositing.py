# comfy_extras/nodes_compositing.py
def resize_mask(mask, shape):
    return torch.nn.functional.interpolate(
        mask.reshape((-1, 1, mask.shape[-2], mask.shape[-1])), size=(shape[0], shape[1]), mode="bilinear"
    ).squeeze(1)


# comfy_extras/nodes_compositing.py JoinImageWithAlpha.execute
@node("JoinImageWithAlpha")
def join_image_with_alpha(image, alpha):
    batch_size = min(len(image), len(alpha))
    out_images = []
    alpha = 1.0 - resize_mask(alpha, image.shape[1:])
    for i in range(batch_size):
        out_images.append(torch.cat((image[i][:, :, :3], alpha[i].unsqueeze(2)), dim=2))
    return torch.stack(out_images)
