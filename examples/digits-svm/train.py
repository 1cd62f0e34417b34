#!/usr/bin/env python3
"""Trains a support-vector classifier on scikit-learn's digits and reports its validation accuracy.

One ASAP trial: the parameters come as command-line options, the metrics go to standard output as
name=value lines. The train/validation split is fixed, so the same options give the same accuracy.
"""

import argparse
import math
import os
import sys
import time

SPLIT_SEED = 0
VALIDATION_FRACTION = 0.25


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=positive_float, required=True, help="regularization strength")
    parser.add_argument("--gamma", type=positive_float, required=True, help="kernel coefficient")
    parser.add_argument("--kernel", choices=["rbf", "poly", "sigmoid"], required=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # The study runs trials side by side (budget.parallelism), one core each: a BLAS thread pool
    # per trial would oversubscribe the machine and slow every trial several times over.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    # Imported after parsing so that a bad option fails at once, without loading scikit-learn.
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.svm import SVC

    x, y = load_digits(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=VALIDATION_FRACTION, stratify=y, random_state=SPLIT_SEED
    )
    # Raw pixel values (0 to 16): the gamma range in study.yaml is chosen for this scale.
    model = SVC(C=args.C, gamma=args.gamma, kernel=args.kernel)

    start = time.perf_counter()
    model.fit(x_train, y_train)
    fit_seconds = time.perf_counter() - start

    print(f"fit_seconds={fit_seconds:.4f}")
    print(f"val_accuracy={model.score(x_val, y_val)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
