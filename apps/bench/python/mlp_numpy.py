"""numpy peer of the scratchnet benchmark: the same MLP recipes, written the vectorised way.

Reads one JSON object from argv[1] (the recipe, the MNIST idx file paths, repetitions, seed) and
prints one JSON object: the numpy/BLAS configuration and, per repetition, the seconds and
samples/s of one training epoch (training only) and the test accuracy after it.

Recipe semantics match scratchnet's: He-normal weights, zero biases, ReLU between dense layers,
softmax cross-entropy averaged over the batch, SGD as torch.optim.SGD (weight decay added to
the gradient of weights, velocity v = momentum * v + g, w -= lr * v), a reshuffle every epoch
and a last partial batch kept. Like any hand-written numpy MLP, it skips the gradient with
respect to the input images (scratchnet's dense layer computes it).
"""
import json
import os
import sys
import time

import numpy as np


def read_idx(path, header):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(files):
    train_x = read_idx(files["trainImages"], 16).reshape(-1, 784).astype(np.float32) / np.float32(255)
    train_y = read_idx(files["trainLabels"], 8).astype(np.int64)
    test_x = read_idx(files["testImages"], 16).reshape(-1, 784).astype(np.float32) / np.float32(255)
    test_y = read_idx(files["testLabels"], 8).astype(np.int64)
    return train_x, train_y, test_x, test_y


def init(widths, rng):
    params = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        w = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        params.append([w, np.zeros(fan_out, dtype=np.float32)])
    return params


def forward(params, x):
    activations = [x]
    for i, (w, b) in enumerate(params):
        z = activations[-1] @ w + b
        activations.append(np.maximum(z, 0, out=z) if i < len(params) - 1 else z)
    return activations


def train_epoch(params, velocity, x, y, recipe, rng, samples):
    batch, lr = recipe["batchSize"], np.float32(recipe["learningRate"])
    momentum, decay = np.float32(recipe["momentum"]), np.float32(recipe["weightDecay"])
    order = rng.permutation(len(x))[:samples]
    eye = np.eye(10, dtype=np.float32)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        xb, yb = x[idx], y[idx]
        acts = forward(params, xb)
        logits = acts[-1]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - eye[yb]) / np.float32(len(idx))
        for i in range(len(params) - 1, -1, -1):
            w, b = params[i]
            dw = acts[i].T @ grad
            db = grad.sum(axis=0)
            if i > 0:
                grad = (grad @ w.T) * (acts[i] > 0)
            if decay:
                dw += decay * w
            if momentum:
                vw, vb = velocity[i]
                vw *= momentum
                vw += dw
                vb *= momentum
                vb += db
                dw, db = vw, vb
            w -= lr * dw
            b -= lr * db


def accuracy(params, x, y):
    return float((forward(params, x)[-1].argmax(axis=1) == y).mean())


def blas_name():
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no dict mode
        return "unknown"


def main():
    args = json.loads(sys.argv[1])
    recipe = args["recipe"]
    train_x, train_y, test_x, test_y = load(args["files"])
    rng = np.random.default_rng(args["seed"])
    samples = min(args.get("samples") or len(train_x), len(train_x))

    def fresh():
        params = init(recipe["widths"], rng)
        return params, [[np.zeros_like(w), np.zeros_like(b)] for w, b in params]

    # Warm-up: allocator, BLAS threads and caches, on parameters that are thrown away.
    params, velocity = fresh()
    train_epoch(params, velocity, train_x, train_y, recipe, rng, args["warmupSamples"])

    runs = []
    for _ in range(args["repetitions"]):
        params, velocity = fresh()
        started = time.perf_counter()
        train_epoch(params, velocity, train_x, train_y, recipe, rng, samples)
        seconds = time.perf_counter() - started
        runs.append({"seconds": seconds, "samples": samples, "samplesPerSecond": samples / seconds,
                     "testAccuracy": accuracy(params, test_x, test_y)})
    print(json.dumps({
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "blas": blas_name(),
        "openblasNumThreads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "runs": runs,
    }))


if __name__ == "__main__":
    main()
