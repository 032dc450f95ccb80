# comfy_extras/nodes_latent.py (0.3.65)
def reshape_latent_to(target_shape, latent, repeat_batch=True):
    if latent.shape[1:] != target_shape[1:]:
        latent = common_upscale(latent, target_shape[-1], target_shape[-2], "bilinear", "center")
    if repeat_batch:
        return repeat_to_batch_size(latent, target_shape[0])
    else:
        return latent


@node("LatentAdd")
def latent_add(samples1, samples2):
    samples_out = samples1.copy()
    s1 = samples1["samples"]
    s2 = reshape_latent_to(s1.shape, samples2["samples"])
    samples_out["samples"] = s1 + s2
    return samples_out


@node("LatentSubtract")
def latent_subtract(samples1, samples2):
    samples_out = samples1.copy()
    s1 = samples1["samples"]
    s2 = reshape_latent_to(s1.shape, samples2["samples"])
    samples_out["samples"] = s1 - s2
    return samples_out


@node("LatentMultiply")
def latent_multiply(samples, multiplier):
    samples_out = samples.copy()
    samples_out["samples"] = samples["samples"] * multiplier
    return samples_out


@node("LatentInterpolate")
def latent_interpolate(samples1, samples2, ratio):
    samples_out = samples1.copy()
    s1 = samples1["samples"]
    s2 = reshape_latent_to(s1.shape, samples2["samples"])
    m1 = torch.linalg.vector_norm(s1, dim=(1))
    m2 = torch.linalg.vector_norm(s2, dim=(1))
    s1 = torch.nan_to_num(s1 / m1)
    s2 = torch.nan_to_num(s2 / m2)
    t = s1 * ratio + s2 * (1.0 - ratio)
    mt = torch.linalg.vector_norm(t, dim=(1))
    st = torch.nan_to_num(t / mt)
    samples_out["samples"] = st * (m1 * ratio + m2 * (1.0 - ratio))
    return samples_out


@node("LatentBatch")
def latent_batch(samples1, samples2):
    samples_out = samples1.copy()
    s1 = samples1["samples"]
    s2 = reshape_latent_to(s1.shape, samples2["samples"], repeat_batch=False)
    samples_out["samples"] = torch.cat((s1, s2), dim=0)
    samples_out["batch_index"] = samples1.get("batch_index", [x for x in range(0, s1.shape[0])]) + samples2.get("batch_index", [x for x in range(0, s2.shape[0])])
    return samples_out


# nodes.py LatentRotate.rotate
@node("LatentRotate")
def latent_rotate(samples, rotation):
    s = samples.copy()
    rotate_by = 0
    if rotation.startswith("90"):
        rotate_by = 1
    elif rotation.startswith("180"):
        rotate_by = 2
    elif rotation.startswith("270"):
        rotate_by = 3
    s["samples"] = torch.rot90(samples["samples"], k=rotate_by, dims=[3, 2])
    return s


# nodes.py LatentFlip.flip
@node("LatentFlip")
def latent_flip(samples, flip_method):
    s = samples.copy()
    if flip_method.startswith("x"):
        s["samples"] = torch.flip(samples["samples"], dims=[2])
    elif flip_method.startswith("y"):
        s["samples"] = torch.flip(samples["samples"], dims=[3])
    return s


# nodes.py LatentComposite.composite
@node("LatentComposite")
def latent_composite(samples_to, samples_from, x, y, feather):
    x = x // 8
    y = y // 8
    feather = feather // 8
    samples_out = samples_to.copy()
    s = samples_to["samples"].clone()
    samples_to = samples_to["samples"]
    samples_from = samples_from["samples"]
    if feather == 0:
        s[:, :, y : y + samples_from.shape[2], x : x + samples_from.shape[3]] = samples_from[:, :, : samples_to.shape[2] - y, : samples_to.shape[3] - x]
    else:
        samples_from = samples_from[:, :, : samples_to.shape[2] - y, : samples_to.shape[3] - x]
        mask = torch.ones_like(samples_from)
        for t in range(feather):
            if y != 0:
                mask[:, :, t : 1 + t, :] *= (1.0 / feather) * (t + 1)
            if y + samples_from.shape[2] < samples_to.shape[2]:
                mask[:, :, mask.shape[2] - 1 - t : mask.shape[2] - t, :] *= (1.0 / feather) * (t + 1)
            if x != 0:
                mask[:, :, :, t : 1 + t] *= (1.0 / feather) * (t + 1)
            if x + samples_from.shape[3] < samples_to.shape[3]:
                mask[:, :, :, mask.shape[3] - 1 - t : mask.shape[3] - t] *= (1.0 / feather) * (t + 1)
        rev_mask = torch.ones_like(mask) - mask
        s[:, :, y : y + samples_from.shape[2], x : x + samples_from.shape[3]] = (
            samples_from[:, :, : samples_to.shape[2] - y, : samples_to.shape[3] - x] * mask
            + s[:, :, y : y + samples_from.shape[2], x : x + samples_from.shape[3]] * rev_mask
        )
    samples_out["samples"] = s
    return samples_out
