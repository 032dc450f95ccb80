# comfy_extras/nodes_post_processing.py Quantize
def quantize_bayer(im, pal_im, order):
    def normalized_bayer_matrix(n):
        if n == 0:
            return np.zeros((1, 1), "float32")
        q = 4**n
        m = q * normalized_bayer_matrix(n - 1)
        return np.bmat(((m - 1.5, m + 0.5), (m + 1.5, m - 0.5))) / q

    num_colors = len(pal_im.getpalette()) // 3
    spread = 2 * 256 / num_colors
    bayer_n = int(math.log2(order))
    bayer_matrix = torch.from_numpy(spread * normalized_bayer_matrix(bayer_n) + 0.5)
    result = torch.from_numpy(np.array(im).astype(np.float32))
    tw = math.ceil(result.shape[0] / bayer_matrix.shape[0])
    th = math.ceil(result.shape[1] / bayer_matrix.shape[1])
    tiled_matrix = bayer_matrix.tile(tw, th).unsqueeze(-1)
    result.add_(tiled_matrix[: result.shape[0], : result.shape[1]]).clamp_(0, 255)
    result = result.to(dtype=torch.uint8)
    im = Image.fromarray(result.cpu().numpy())
    return im.quantize(palette=pal_im, dither=Image.Dither.NONE)


@node("ImageQuantize")
def image_quantize(image, colors, dither):
    batch_size, height, width, _ = image.shape
    result = torch.zeros_like(image)
    for b in range(batch_size):
        im = Image.fromarray((image[b] * 255).to(torch.uint8).numpy(), mode="RGB")
        pal_im = im.quantize(colors=colors)
        if dither == "none":
            quantized_image = im.quantize(palette=pal_im, dither=Image.Dither.NONE)
        elif dither == "floyd-steinberg":
            quantized_image = im.quantize(palette=pal_im, dither=Image.Dither.FLOYDSTEINBERG)
        elif dither.startswith("bayer"):
            order = int(dither.split("-")[-1])
            quantized_image = quantize_bayer(im, pal_im, order)
        quantized_array = torch.tensor(np.array(quantized_image.convert("RGB"))).float() / 255
        result[b] = quantized_array
    return result


# comfy_extras/nodes_post_processing.py Blend
@node("ImageBlend")
def image_blend(image1, image2, blend_factor, blend_mode):
    def g(x):
        return torch.where(x <= 0.25, ((16 * x - 12) * x + 4) * x, torch.sqrt(x))

    def mode_of(img1, img2, mode):
        if mode == "normal":
            return img2
        elif mode == "multiply":
            return img1 * img2
        elif mode == "screen":
            return 1 - (1 - img1) * (1 - img2)
        elif mode == "overlay":
            return torch.where(img1 <= 0.5, 2 * img1 * img2, 1 - 2 * (1 - img1) * (1 - img2))
        elif mode == "soft_light":
            return torch.where(img2 <= 0.5, img1 - (1 - 2 * img2) * img1 * (1 - img1), img1 + (2 * img2 - 1) * (g(img1) - img1))
        elif mode == "difference":
            return img1 - img2
        raise ValueError(f"Unsupported blend mode: {mode}")

    image1, image2 = image_alpha_fix(image1, image2)
    if image1.shape != image2.shape:
        image2 = image2.permute(0, 3, 1, 2)
        image2 = common_upscale(image2, image1.shape[2], image1.shape[1], upscale_method="bicubic", crop="center")
        image2 = image2.permute(0, 2, 3, 1)
    blended_image = mode_of(image1, image2, blend_mode)
    blended_image = image1 * (1 - blend_factor) + blended_image * blend_factor
    return torch.clamp(blended_image, 0, 1)


# comfy_extras/nodes_post_processing.py
def gaussian_kernel(kernel_size, sigma, device=None):
    x, y = torch.meshgrid(torch.linspace(-1, 1, kernel_size, device=device), torch.linspace(-1, 1, kernel_size, device=device), indexing="ij")
    d = torch.sqrt(x * x + y * y)
    g = torch.exp(-(d * d) / (2.0 * sigma * sigma))
    return g / g.sum()


# comfy_extras/nodes_post_processing.py Blur.execute
@node("ImageBlur")
def image_blur(image, blur_radius, sigma):
    if blur_radius == 0:
        return image
    batch_size, height, width, channels = image.shape
    kernel_size = blur_radius * 2 + 1
    kernel = gaussian_kernel(kernel_size, sigma, device=image.device).repeat(channels, 1, 1).unsqueeze(1)
    image = image.permute(0, 3, 1, 2)
    padded_image = torch.nn.functional.pad(image, (blur_radius, blur_radius, blur_radius, blur_radius), "reflect")
    blurred = torch.nn.functional.conv2d(padded_image, kernel, padding=kernel_size // 2, groups=channels)[:, :, blur_radius:-blur_radius, blur_radius:-blur_radius]
    return blurred.permute(0, 2, 3, 1)


# comfy_extras/nodes_post_processing.py Sharpen.execute
@node("ImageSharpen")
def image_sharpen(image, sharpen_radius, sigma, alpha):
    if sharpen_radius == 0:
        return image
    batch_size, height, width, channels = image.shape
    kernel_size = sharpen_radius * 2 + 1
    kernel = gaussian_kernel(kernel_size, sigma, device=image.device) * -(alpha * 10)
    kernel = kernel.to(dtype=image.dtype)
    center = kernel_size // 2
    kernel[center, center] = kernel[center, center] - kernel.sum() + 1.0
    kernel = kernel.repeat(channels, 1, 1).unsqueeze(1)
    tensor_image = image.permute(0, 3, 1, 2)
    tensor_image = torch.nn.functional.pad(tensor_image, (sharpen_radius, sharpen_radius, sharpen_radius, sharpen_radius), "reflect")
    sharpened = torch.nn.functional.conv2d(tensor_image, kernel, padding=center, groups=channels)[:, :, sharpen_radius:-sharpen_radius, sharpen_radius:-sharpen_radius]
    sharpened = sharpened.permute(0, 2, 3, 1)
    return torch.clamp(sharpened, 0, 1)
