# comfy_extras/nodes_audio.py (torchaudio is imported only by the audio cases)
@node("torchaudio.resample")
def resample(waveform, orig_freq, new_freq):
    import torchaudio

    return torchaudio.functional.resample(waveform, orig_freq, new_freq)


def match_audio_sample_rates(waveform_1, sample_rate_1, waveform_2, sample_rate_2):
    if sample_rate_1 != sample_rate_2:
        if sample_rate_1 > sample_rate_2:
            waveform_2 = resample(waveform_2, sample_rate_2, sample_rate_1)
            output_sample_rate = sample_rate_1
        else:
            waveform_1 = resample(waveform_1, sample_rate_1, sample_rate_2)
            output_sample_rate = sample_rate_2
    else:
        output_sample_rate = sample_rate_1
    return waveform_1, waveform_2, output_sample_rate


@node("AudioConcat")
def audio_concat(audio1, audio2, direction):
    waveform_1 = audio1["waveform"]
    waveform_2 = audio2["waveform"]
    if waveform_1.shape[1] == 1:
        waveform_1 = waveform_1.repeat(1, 2, 1)
    if waveform_2.shape[1] == 1:
        waveform_2 = waveform_2.repeat(1, 2, 1)
    waveform_1, waveform_2, rate = match_audio_sample_rates(waveform_1, audio1["sample_rate"], waveform_2, audio2["sample_rate"])
    if direction == "after":
        out = torch.cat((waveform_1, waveform_2), dim=2)
    else:
        out = torch.cat((waveform_2, waveform_1), dim=2)
    return {"waveform": out, "sample_rate": rate}


@node("AudioMerge")
def audio_merge(audio1, audio2, merge_method):
    waveform_1, waveform_2, rate = match_audio_sample_rates(audio1["waveform"], audio1["sample_rate"], audio2["waveform"], audio2["sample_rate"])
    length_1 = waveform_1.shape[-1]
    length_2 = waveform_2.shape[-1]
    if length_2 > length_1:
        waveform_2 = waveform_2[..., :length_1]
    elif length_2 < length_1:
        pad_shape = list(waveform_2.shape)
        pad_shape[-1] = length_1 - length_2
        waveform_2 = torch.cat((waveform_2, torch.zeros(pad_shape, dtype=waveform_2.dtype)), dim=-1)
    if merge_method == "add":
        waveform = waveform_1 + waveform_2
    elif merge_method == "subtract":
        waveform = waveform_1 - waveform_2
    elif merge_method == "multiply":
        waveform = waveform_1 * waveform_2
    elif merge_method == "mean":
        waveform = (waveform_1 + waveform_2) / 2
    max_val = waveform.abs().max()
    if max_val > 1.0:
        waveform = waveform / max_val
    return {"waveform": waveform, "sample_rate": rate}


@node("AudioAdjustVolume")
def audio_adjust_volume(audio, volume):
    if volume == 0:
        return audio
    gain = 10 ** (volume / 20)
    return {"waveform": audio["waveform"] * gain, "sample_rate": audio["sample_rate"]}


@node("TrimAudioDuration")
def trim_audio_duration(audio, start_index, duration):
    waveform = audio["waveform"]
    sample_rate = audio["sample_rate"]
    audio_length = waveform.shape[-1]
    if start_index < 0:
        start_frame = audio_length + int(round(start_index * sample_rate))
    else:
        start_frame = int(round(start_index * sample_rate))
    start_frame = max(0, min(start_frame, audio_length - 1))
    end_frame = start_frame + int(round(duration * sample_rate))
    end_frame = max(0, min(end_frame, audio_length))
    if start_frame >= end_frame:
        raise ValueError("AudioTrim: Start time must be less than end time and be within the audio length.")
    return {"waveform": waveform[..., start_frame:end_frame], "sample_rate": sample_rate}


@node("EmptyAudio")
def empty_audio(duration, sample_rate, channels):
    num_samples = int(round(duration * sample_rate))
    return {"waveform": torch.zeros((1, channels, num_samples), dtype=torch.float32), "sample_rate": sample_rate}
