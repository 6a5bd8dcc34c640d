import torch


def add(a, b):
    return a + b


def scale(x, k):
    return x * k


def softmax(x):
    return torch.softmax(x, dim=-1)


class Acc:
    def __init__(self):
        self.values = []

    def add(self, v):
        self.values.append(v)

    def total(self):
        return float(sum(self.values))
