#!/usr/bin/env python3
"""Trains a one-hidden-layer perceptron on scikit-learn's digits, reporting accuracy every epoch.

One ASAP trial: the parameters come as command-line options. Each epoch prints a JSON line
{"val_accuracy": ..., "step": epoch}, so that the study can follow the curve as it grows; the
last line is the final val_accuracy=... The split, the initial weights and the batch order are
seeded, so the same options give the same curve.
"""

import argparse
import json
import math
import os
import sys

SEED = 0
VALIDATION_FRACTION = 0.25


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def whole_number(low, high):
    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        # "64.0" is accepted as 64: a search may hand integers over in float notation.
        if not (value.is_integer() and low <= value <= high):
            raise argparse.ArgumentTypeError(
                f"must be a whole number in [{low}, {high}], got {text}"
            )
        return int(value)

    return parse


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden-units", type=whole_number(1, 4096), required=True)
    parser.add_argument("--alpha", type=positive_float, required=True, help="L2 penalty")
    parser.add_argument("--learning-rate-init", type=positive_float, required=True)
    parser.add_argument("--activation", choices=["relu", "tanh"], required=True)
    parser.add_argument("--epochs", type=whole_number(1, 1000), default=30)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # The study runs trials side by side (budget.parallelism), one core each: a BLAS thread pool
    # per trial would oversubscribe the machine and slow every trial several times over.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")

    # Imported after parsing so that a bad option fails at once, without loading scikit-learn.
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    x, y = load_digits(return_X_y=True)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=VALIDATION_FRACTION, stratify=y, random_state=SEED
    )
    scaler = StandardScaler().fit(x_train)
    x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)

    model = MLPClassifier(
        hidden_layer_sizes=(args.hidden_units,),
        activation=args.activation,
        alpha=args.alpha,
        learning_rate_init=args.learning_rate_init,
        batch_size=64,
        random_state=SEED,
    )
    classes = np.unique(y)
    accuracy = float("nan")
    for epoch in range(1, args.epochs + 1):
        # With the adam solver, one partial_fit call is one pass over the training rows.
        model.partial_fit(x_train, y_train, classes=classes)
        accuracy = model.score(x_val, y_val)
        print(json.dumps({"val_accuracy": accuracy, "step": epoch}), flush=True)

    print(f"val_accuracy={accuracy!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
