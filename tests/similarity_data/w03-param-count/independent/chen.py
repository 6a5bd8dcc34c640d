from torch import nn
import math


class MLPBuilder:
    def __init__(self, n_in, hidden, n_out):
        self.shape = [n_in, *hidden, n_out]

    def layers(self):
        out = []
        for k, (fan_in, fan_out) in enumerate(zip(self.shape, self.shape[1:])):
            if k:
                out.append(nn.ReLU())
            out.append(nn.Linear(fan_in, fan_out))
        return out


def build_mlp(n_features, hidden, n_classes):
    return nn.Sequential(*MLPBuilder(n_features, hidden, n_classes).layers())


def count_parameters(model, trainable_only=True):
    sizes = [math.prod(w.shape) for w in model.parameters() if w.requires_grad or not trainable_only]
    return int(sum(sizes))


def linear_stack_params(sizes):
    weights = sum(x * y for x, y in zip(sizes, sizes[1:]))
    biases = sum(sizes[1:])
    return weights + biases
