# comfy_extras/nodes_images.py ImageAddNoise.repeat
@node("ImageAddNoise")
def image_add_noise(image, seed, strength):
    generator = torch.manual_seed(seed)
    s = torch.clip((image + strength * torch.randn(image.size(), generator=generator, device="cpu").to(image)).movedim(-1, 1), min=0.0, max=1.0).movedim(1, -1)
    return s
