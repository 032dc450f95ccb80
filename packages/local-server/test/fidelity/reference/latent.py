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
