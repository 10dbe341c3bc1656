# PyTorch peer: W1, W2 (four layouts), W3, W5 and W6; prints JSON lines like the JavaScript peers.
# `torch_peer.py <threads> [W1|W2|W3|W5|W6]...` runs only the workloads named (default: all).
import ctypes, json, os, sys, time, statistics
import torch

ONLY = sys.argv[2:]
def wanted(w):
    return not ONLY or w in ONLY

# Thread count from the runner; OMP_NUM_THREADS / OPENBLAS_NUM_THREADS are set by it too, since
# OpenBLAS keeps its own pool that torch.set_num_threads does not size.
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads())

def emit(rec):
    print(json.dumps(rec), flush=True)

def stats(values):
    s = sorted(values)
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "runs": len(s)}

def time_runs(fn, max_reps=7, budget=2.5, warmup=1):
    for _ in range(int(warmup)):
        fn()
    times, start = [], time.perf_counter()
    while len(times) < max_reps and (not times or time.perf_counter() - start < budget):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return times

def time_batches(fn, reps=7, min_batch=0.05, budget=4.0):
    """As bench/peers/common.mjs timeBatches: batches of >= min_batch seconds, the first one the
    warm-up; seconds per call for each timed batch."""
    start, iters = time.perf_counter(), 1
    while True:
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        elapsed = time.perf_counter() - t
        if elapsed >= min_batch:
            break
        iters = -(-iters * min(10, 1.2 * min_batch / max(elapsed, 1e-6)) // 1)
        iters = int(iters)
    times = []
    while len(times) < reps and (not times or time.perf_counter() - start < budget):
        t = time.perf_counter()
        for _ in range(iters):
            fn()
        times.append((time.perf_counter() - t) / iters)
    return times

config = torch.__config__.show()
blas = [l.strip() for l in config.splitlines() if "BLAS" in l or "LAPACK" in l or "CPU capability" in l]
def openblas_kernel():
    """Which OpenBLAS core the BLAS that torch links (libblas.so.3) chose at run time."""
    try:
        lib = ctypes.CDLL("libblas.so.3")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return f"{lib.openblas_get_config().decode()} / core {lib.openblas_get_corename().decode()}"
    except (OSError, AttributeError):
        return "not OpenBLAS (reference BLAS?)"

emit({"info": {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas, "openblas": openblas_kernel()}})

# W1: XOR 2-2-1 sigmoid MLP, MSE, SGD lr 0.1, 10 000 epochs.
if wanted("W1"):
    runs = []
    for r in range(5):
        torch.manual_seed(r)
        x = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]); y = torch.tensor([[0.], [1.], [1.], [0.]])
        model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid(), torch.nn.Linear(2, 1), torch.nn.Sigmoid())
        opt = torch.optim.SGD(model.parameters(), lr=0.1); lossf = torch.nn.MSELoss()
        t = time.perf_counter()
        for e in range(10000):
            opt.zero_grad(); loss = lossf(model(x), y); loss.backward(); opt.step()
        runs.append((time.perf_counter() - t) * 1e6 / 10000)
    emit({"workload": "W1", "unit": "µs/epoch", "finalLoss": loss.item(), **stats(runs)})

# W2
if wanted("W2"):
    for n in [128, 512, 1024, 2048]:
        a = torch.randn(n, n); b = torch.randn(n, n)
        for layout in ["NN", "TN", "NT", "TT"]:
            x = a.t() if layout[0] == "T" else a; yv = b.t() if layout[1] == "T" else b
            secs = time_batches(lambda: torch.matmul(x, yv), reps=3 if n >= 2048 else 7)
            emit({"workload": "W2", "n": n, "layout": layout, "unit": "GFLOP/s", **stats([2 * n ** 3 / s / 1e9 for s in secs])})

# W3: every peer warms up with the same number of steps (JIT, allocator caches), then times up
# to 1000 steps or 3 s; the median step is reported.
if wanted("W3"):
    W3_WARMUP = 20
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01); lossf = torch.nn.CrossEntropyLoss()
    x = torch.randn(128, 784); labels = torch.randint(0, 10, (128,))
    def step():
        opt.zero_grad(); loss = lossf(model(x), labels); loss.backward(); opt.step(); loss.item()
    secs = time_runs(step, max_reps=1000, budget=3, warmup=W3_WARMUP)
    emit({"workload": "W3", "unit": "samples/s", **stats([128 / s for s in secs])})

# W5: the GPT training step of examples/pytorch/gpt.py (4 layers, 4 heads, 128 embedding, context
# 64, batch 32, vocabulary 73, dropout 0) on random tokens, tokens/s; as torchlet's peer: 3
# warm-up steps, then up to 50 steps or 10 s.
if wanted("W5"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "pytorch"))
    from gpt import GPT, Config
    torch.manual_seed(0)
    model = GPT(Config(73, 64, 4, 4, 128, 0.0))
    opt = model.configure_optimizers(0.1, 3e-4, (0.9, 0.95))
    x = torch.randint(0, 73, (32, 64)); y = torch.randint(0, 73, (32, 64))
    def gpt_step():
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); loss.item()
    secs = time_runs(gpt_step, max_reps=50, budget=10, warmup=3)
    emit({"workload": "W5", "unit": "tokens/s", **stats([32 * 64 / s for s in secs])})
# W6: the char-LSTM step of bench/workloads.ts lstmStep: Embedding(64, 64) -> 2-layer LSTM(256)
# -> Linear(256, 64), cross-entropy, Adam lr 2e-3, batch 32 x seq 64 random tokens, the state
# carried over detached; 3 warm-up steps, then up to 20 steps or 6 s.
if wanted("W6"):
    torch.manual_seed(0)
    V, E, H, L, T, B = 64, 64, 256, 2, 64, 32
    emb = torch.nn.Embedding(V, E); lstm = torch.nn.LSTM(E, H, num_layers=L, batch_first=True); head = torch.nn.Linear(H, V)
    params = [*emb.parameters(), *lstm.parameters(), *head.parameters()]
    x = torch.randint(0, V, (B, T)); y = torch.randint(0, V, (B, T))
    opt = torch.optim.Adam(params, lr=2e-3); lossf = torch.nn.CrossEntropyLoss()
    state = [None]
    def step():
        opt.zero_grad()
        out, (h, c) = lstm(emb(x), state[0]); state[0] = (h.detach(), c.detach())
        loss = lossf(head(out.reshape(B * T, H)), y.reshape(B * T)); loss.backward(); opt.step(); loss.item()
    secs = time_runs(step, max_reps=20, budget=6, warmup=3)
    emit({"workload": "W6", "unit": "tokens/s", **stats([B * T / s for s in secs])})
