#!/usr/bin/env python3
"""Trains gradient-boosted trees on scikit-learn's breast-cancer data and reports validation loss.

One ASAP trial: the parameters come as command-line options, the metrics go to standard output as
name=value lines. The split and the trees' randomness are seeded, so the same options give the same
loss.
"""

import argparse
import math
import os
import sys
import time

SEED = 0
VALIDATION_FRACTION = 0.25


def bounded_float(low, high, low_open=False):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        above = value > low if low_open else value >= low
        if not (math.isfinite(value) and above and value <= high):
            bracket = "(" if low_open else "["
            raise argparse.ArgumentTypeError(f"must be in {bracket}{low}, {high}], got {text}")
        return value

    return parse


def whole_number(low, high):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        # "200.0" is accepted as 200: a search may hand integers over in float notation.
        if not (value.is_integer() and low <= value <= high):
            raise argparse.ArgumentTypeError(
                f"must be a whole number in [{low}, {high}], got {text}"
            )
        return int(value)

    return parse


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learning-rate", type=bounded_float(0, 1, low_open=True), required=True)
    parser.add_argument("--max-depth", type=whole_number(1, 32), required=True)
    parser.add_argument("--n-estimators", type=whole_number(1, 5000), required=True)
    parser.add_argument(
        "--subsample",
        type=bounded_float(0, 1, low_open=True),
        required=True,
        help="fraction of the training rows each tree sees",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # The study runs trials side by side (budget.parallelism), one core each: a BLAS thread pool
    # per trial would oversubscribe the machine and slow every trial several times over.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    # Imported after parsing so that a bad option fails at once, without loading scikit-learn.
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import accuracy_score, log_loss
    from sklearn.model_selection import train_test_split

    x, y = load_breast_cancer(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=VALIDATION_FRACTION, stratify=y, random_state=SEED
    )
    model = GradientBoostingClassifier(
        learning_rate=args.learning_rate,
        max_depth=args.max_depth,
        n_estimators=args.n_estimators,
        subsample=args.subsample,
        random_state=SEED,
    )

    start = time.perf_counter()
    model.fit(x_train, y_train)
    fit_seconds = time.perf_counter() - start

    probabilities = model.predict_proba(x_val)
    print(f"fit_seconds={fit_seconds:.4f}")
    print(f"val_accuracy={accuracy_score(y_val, probabilities.argmax(axis=1))!r}")
    print(f"val_log_loss={log_loss(y_val, probabilities)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
