"""PyTorch peer of the scratchnet benchmark: the bench recipes as a PyTorch user would write them.

Reads one JSON object from argv[1] (the recipe, the MNIST idx file paths, repetitions, seed,
samples, warm-up samples, threads) and prints one JSON object: the torch/BLAS configuration and,
per repetition, the seconds and samples/s of one training epoch (training only) and the test
accuracy after it; the same shape as mlp_numpy.py's answer.

The network is built from the recipe's scratchnet model config (model.input and model.layers:
dense, relu, conv2d, max-pool2d, flatten), so the bench has one definition of each recipe. Recipe semantics match scratchnet's:
He-normal (kaiming, fan-in) weights, zero biases, softmax cross-entropy averaged over the batch,
torch.optim.SGD with the weight decay on weights only (as scratchnet and the numpy peer), a
reshuffle every epoch and a last partial batch kept. No gradient is computed for the input
images (they do not require one), like scratchnet's first layer with parameters.
"""
import json
import os
import sys
import time

# OpenBLAS reads its thread count when torch loads it, and torch.set_num_threads does not reach
# it in this build: without this, "1 thread" would still run its GEMMs on every core.
ARGS = json.loads(sys.argv[1])
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS["threads"])
# Two thread pools share the cores: torch's OpenMP one (elementwise ops, oneDNN convolutions) and
# OpenBLAS's (GEMMs). With libgomp's default spin-wait, idle OpenMP workers keep the cores the
# GEMM threads need: on 2 cores mlp-wide trained 3x slower on 2 threads than with PASSIVE.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import ctypes  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402


def read_idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(files, input_shape):
    def images(name):
        pixels = read_idx(files[name], 16).astype(np.float32) / np.float32(255)
        return torch.from_numpy(pixels).reshape(-1, *input_shape)

    def labels(name):
        return torch.from_numpy(read_idx(files[name], 8).astype(np.int64))

    return images("trainImages"), labels("trainLabels"), images("testImages"), labels("testLabels")


def pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def conv_padding(padding, kernel):
    if padding in (None, "valid"):
        return (0, 0)
    if padding == "same":  # odd kernels and stride 1, the only 'same' the recipes use
        return tuple(k // 2 for k in kernel)
    return pair(padding)


def build(recipe):
    """nn.Sequential from the scratchnet layer list; shapes are tracked to size each layer."""
    shape = list(recipe["model"]["input"])
    modules = []
    for spec in recipe["model"]["layers"]:
        kind = spec["type"]
        if kind == "dense":
            layer = nn.Linear(shape[0], spec["units"])
            shape = [spec["units"]]
        elif kind == "conv2d":
            kernel = pair(spec["kernelSize"])
            stride, dilation = pair(spec.get("stride", 1)), pair(spec.get("dilation", 1))
            padding = conv_padding(spec.get("padding"), kernel)
            layer = nn.Conv2d(shape[0], spec["filters"], kernel, stride, padding, dilation)
            height, width = (
                (size + 2 * p - d * (k - 1) - 1) // s + 1
                for size, p, d, k, s in zip(shape[1:], padding, dilation, kernel, stride)
            )
            shape = [spec["filters"], height, width]
        elif kind == "max-pool2d":
            if spec.get("padding") not in (None, "valid", 0):
                raise ValueError("torch_peer.py: padded pooling is not translated")
            size = pair(spec["poolSize"])
            stride = pair(spec.get("stride") or size)
            layer = nn.MaxPool2d(size, stride)
            shape = [shape[0]] + [(n - k) // s + 1 for n, k, s in zip(shape[1:], size, stride)]
        elif kind == "flatten":
            layer = nn.Flatten()
            shape = [int(np.prod(shape))]
        elif kind == "relu":
            layer = nn.ReLU()
        else:
            raise ValueError(f"torch_peer.py: no PyTorch equivalent for layer type {kind!r}")
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(layer.bias)
        modules.append(layer)
    return nn.Sequential(*modules)


def optimiser(model, recipe):
    weights = [p for p in model.parameters() if p.dim() > 1]
    biases = [p for p in model.parameters() if p.dim() <= 1]
    return torch.optim.SGD(
        [{"params": weights, "weight_decay": recipe["weightDecay"]}, {"params": biases, "weight_decay": 0.0}],
        lr=recipe["learningRate"],
        momentum=recipe["momentum"],
    )


def train_epoch(model, sgd, x, y, batch, samples):
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x))[:samples]
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        sgd.zero_grad(set_to_none=True)
        loss_fn(model(x[idx]), y[idx]).backward()
        sgd.step()


@torch.no_grad()
def accuracy(model, x, y):
    correct = sum(int((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum()) for i in range(0, len(x), 1000))
    return correct / len(x)


def blas_name():
    """OpenBLAS version and the kernel set it picked for this CPU (torch hands it its GEMMs)."""
    try:
        openblas = ctypes.CDLL("libopenblas.so.0")
        openblas.openblas_get_config.restype = ctypes.c_char_p
        openblas.openblas_get_corename.restype = ctypes.c_char_p
        version = " ".join(openblas.openblas_get_config().decode().split()[:2])
        return f"{version}, {openblas.openblas_get_corename().decode()} kernels"
    except (OSError, AttributeError):
        return "unknown"


def main():
    recipe, threads = ARGS["recipe"], ARGS["threads"]
    torch.set_num_threads(threads)
    torch.manual_seed(ARGS["seed"])
    train_x, train_y, test_x, test_y = load(ARGS["files"], recipe["model"]["input"])
    samples = min(ARGS.get("samples") or len(train_x), len(train_x))

    def fresh():
        model = build(recipe)
        return model, optimiser(model, recipe)

    # Warm-up: allocator, thread pool, oneDNN kernel selection, on a model that is thrown away.
    train_epoch(*fresh(), train_x, train_y, recipe["batchSize"], ARGS["warmupSamples"])

    runs = []
    for _ in range(ARGS["repetitions"]):
        model, sgd = fresh()
        started = time.perf_counter()
        train_epoch(model, sgd, train_x, train_y, recipe["batchSize"], samples)
        seconds = time.perf_counter() - started
        runs.append({"seconds": seconds, "samples": samples, "samplesPerSecond": samples / seconds,
                     "testAccuracy": accuracy(model, test_x, test_y)})
    print(json.dumps({
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "blas": blas_name(),
        "threads": torch.get_num_threads(),
        "openblasNumThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
        "runs": runs,
    }))


if __name__ == "__main__":
    main()
