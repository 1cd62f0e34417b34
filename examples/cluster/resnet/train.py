#!/usr/bin/env python3
"""Trains a ResNet-18 on CIFAR-10 on one GPU and reports validation accuracy after every epoch.

One ASAP trial of examples/cluster/gpu-resnet.yaml: the parameters come as command-line options;
asap.report prints each epoch's metrics and posts them to the operator (the push collector), so
the study sees the learning curve while the trial runs, and a trial that dies late keeps its
reported epochs.
"""

import argparse
import math
import sys


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text}")
    return value


def unit_float(text):
    value = positive_float(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"must be below 1, got {text}")
    return value


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=positive_float, required=True, help="peak learning rate")
    parser.add_argument("--momentum", type=unit_float, required=True)
    parser.add_argument("--weight-decay", type=positive_float, required=True)
    parser.add_argument("--batch-size", type=positive_int, required=True)
    parser.add_argument("--epochs", type=positive_int, default=15)
    parser.add_argument("--data-dir", default="/data", help="CIFAR-10 is downloaded here if absent")
    parser.add_argument("--workers", type=int, default=4, help="data loader processes")
    return parser.parse_args(argv)


def loaders(args, torch, torchvision):
    transforms = torchvision.transforms
    normalize = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
    train_set = torchvision.datasets.CIFAR10(
        args.data_dir,
        train=True,
        download=True,
        transform=transforms.Compose(
            [transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
             transforms.ToTensor(), normalize]
        ),
    )
    val_set = torchvision.datasets.CIFAR10(
        args.data_dir, train=False, download=True,
        transform=transforms.Compose([transforms.ToTensor(), normalize]),
    )
    common = {"num_workers": args.workers, "pin_memory": True}
    return (
        torch.utils.data.DataLoader(train_set, batch_size=args.batch_size, shuffle=True,
                                    drop_last=True, **common),
        torch.utils.data.DataLoader(val_set, batch_size=512, shuffle=False, **common),
    )


def cifar_resnet18(torch, torchvision):
    # The ImageNet stem (7x7 stride-2 convolution, then max pooling) shrinks 32x32 images to 8x8
    # before the first block; a 3x3 stride-1 stem keeps the resolution CIFAR-10 needs.
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = torch.nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
    model.maxpool = torch.nn.Identity()
    return model


def evaluate(model, loader, device, torch):
    model.eval()
    correct = total = 0
    loss_sum = 0.0
    with torch.no_grad(), torch.autocast(device_type="cuda", dtype=torch.bfloat16):
        for images, labels in loader:
            images, labels = images.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            logits = model(images)
            loss_sum += torch.nn.functional.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(dim=1) == labels).sum().item()
            total += labels.numel()
    return correct / total, loss_sum / total


def main(argv=None):
    args = parse_args(argv)
    # Imported after parsing so that a bad option fails at once, without loading PyTorch.
    import asap
    import torch
    import torchvision

    if not torch.cuda.is_available():
        print("no CUDA device: this trial needs the GPU its pod requests", file=sys.stderr)
        return 1
    device = torch.device("cuda")
    torch.backends.cudnn.benchmark = True

    train_loader, val_loader = loaders(args, torch, torchvision)
    model = cifar_resnet18(torch, torchvision).to(device, memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum,
                                weight_decay=args.weight_decay, nesterov=True)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=len(train_loader)
    )

    for epoch in range(args.epochs):
        model.train()
        for images, labels in train_loader:
            images = images.to(device, non_blocking=True, memory_format=torch.channels_last)
            labels = labels.to(device, non_blocking=True)
            with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
                loss = torch.nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        val_accuracy, val_loss = evaluate(model, val_loader, device, torch)
        asap.report(val_accuracy=val_accuracy, val_loss=val_loss, step=epoch)
        if not math.isfinite(val_loss):
            # Diverged: further epochs cannot recover, so the slot goes to the next trial, and
            # the non-zero exit records this one as failed with its reason.
            print(f"diverged at epoch {epoch}: validation loss {val_loss}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
