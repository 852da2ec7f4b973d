"""Reference: scikit-learn's Barnes-Hut t-SNE on the same codes (`npm run bench -- projection`).

Usage: python3 sklearn_tsne.py CODES_F32 --dim 20 --out POSITIONS_F32 [--perplexity 30 --iterations 1000 --seed 1]
CODES_F32 holds row-major float32 codes (count x dim). Runs TSNE(init='pca', learning_rate='auto',
method='barnes_hut', angle=0.5) with its default threads, writes the count x 2 layout as float32 to
--out and prints one JSON line: {"seconds": fit time, "positions": path, "sklearn": version}.
"""
import argparse, json, time

import numpy as np
import sklearn
from sklearn.manifold import TSNE


def main():
    p = argparse.ArgumentParser()
    p.add_argument("codes")
    p.add_argument("--dim", type=int, default=20)
    p.add_argument("--out", required=True)
    p.add_argument("--perplexity", type=float, default=30.0)
    p.add_argument("--iterations", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    codes = np.fromfile(a.codes, dtype="<f4").reshape(-1, a.dim)

    # scikit-learn renamed n_iter to max_iter in 1.5 (and removed n_iter in 1.7).
    major, minor = (int(x) for x in sklearn.__version__.split(".")[:2])
    iterations = {"max_iter" if (major, minor) >= (1, 5) else "n_iter": a.iterations}
    tsne = TSNE(
        n_components=2,
        perplexity=a.perplexity,
        init="pca",
        learning_rate="auto",
        method="barnes_hut",
        angle=0.5,
        random_state=a.seed,
        **iterations,
    )
    start = time.perf_counter()
    positions = tsne.fit_transform(codes)
    seconds = time.perf_counter() - start
    positions.astype("<f4").tofile(a.out)
    print(json.dumps({"seconds": seconds, "positions": a.out, "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
