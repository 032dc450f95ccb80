# Request on stdin: u32 LE header length, JSON header, then the tensors' float32 bytes.
#   header = {"cases": [{"node": "ImageScale", "inputs": {name: value}}, ...]}; a case may add
#            "followedBy": {"node", "input", "inputs"}: a second node given the first output as `input`
#   value  = JSON literal | {"tensor": [shape, offset]} | {"latent": {key: value}} | {"list": [value, ...]}
# Answer on stdout, same framing: {"results": [{"outputs": [value, ...]} | {"error": "Type: message"}],
#                                  "blas": "openblas" | "reference"} (the BLAS torch is linked to here)
def main():
    raw = sys.stdin.buffer.read()
    (length,) = struct.unpack_from("<I", raw, 0)
    header = json.loads(raw[4 : 4 + length])
    blob = memoryview(raw)[4 + length :]

    def decode(value):
        if isinstance(value, dict) and "tensor" in value:
            shape, offset = value["tensor"]
            count = int(np.prod(shape)) if shape else 1
            arr = np.frombuffer(blob, dtype=np.float32, count=count, offset=offset).reshape(shape)
            return torch.from_numpy(arr.copy())
        if isinstance(value, dict) and "latent" in value:
            return {k: decode(v) for k, v in value["latent"].items()}
        if isinstance(value, dict) and "list" in value:
            return [decode(v) for v in value["list"]]
        return value

    out_blob = bytearray()

    def encode(value):
        if isinstance(value, torch.Tensor):
            a = np.ascontiguousarray(value.detach().cpu().to(torch.float32).numpy())
            spec = [list(a.shape), len(out_blob)]
            out_blob.extend(a.tobytes())
            return {"tensor": spec}
        if isinstance(value, dict):
            return {"latent": {k: encode(v) for k, v in value.items()}}
        if isinstance(value, (list, tuple)):
            return {"list": [encode(v) for v in value]}
        return value

    results = []
    for case in header["cases"]:
        inputs = {name: decode(value) for name, value in case["inputs"].items()}
        try:
            outputs = NODES[case["node"]](**inputs)
            if not isinstance(outputs, tuple):
                outputs = (outputs,)
            following_node = case.get("followedBy")
            if following_node is not None:
                following = {name: decode(value) for name, value in following_node["inputs"].items()}
                following[following_node["input"]] = outputs[0]
                outputs = NODES[following_node["node"]](**following)
                if not isinstance(outputs, tuple):
                    outputs = (outputs,)
            results.append({"outputs": [encode(o) for o in outputs]})
        except Exception as e:  # the error is part of the answer (a node that fails must fail alike)
            results.append({"error": f"{type(e).__name__}: {e}"})
    with open("/proc/self/maps") as maps:
        blas = "openblas" if "openblas" in maps.read() else "reference"
    head = json.dumps({"results": results, "blas": blas}).encode()
    sys.stdout.buffer.write(struct.pack("<I", len(head)) + head + bytes(out_blob))


main()
