"""Bigram model with everything vectorised through one-hot encodings."""
import torch
import torch.nn.functional as F

BOUNDARY = "."


def build_vocab(words: list[str]):
    alphabet = set()
    for word in words:
        alphabet.update(word)
    itos = [BOUNDARY, *sorted(alphabet)]
    stoi = dict(zip(itos, range(len(itos))))
    return stoi, itos


def encode_pairs(words, stoi):
    first, second = [], []
    for word in words:
        padded = [BOUNDARY, *word, BOUNDARY]
        first += [stoi[c] for c in padded[:-1]]
        second += [stoi[c] for c in padded[1:]]
    return torch.tensor(first, dtype=torch.long), torch.tensor(second, dtype=torch.long)


def bigram_counts(words, stoi):
    xs, ys = encode_pairs(words, stoi)
    size = len(stoi)
    one_x = F.one_hot(xs, size)
    one_y = F.one_hot(ys, size)
    return (one_x.T @ one_y).to(torch.int64)


def bigram_probs(counts, smoothing=1):
    smoothed = (counts + smoothing).to(torch.float32)
    totals = smoothed.sum(dim=-1).unsqueeze(-1)
    return smoothed / totals


def nll(words, probs, stoi):
    xs, ys = encode_pairs(words, stoi)
    picked = probs.double()[xs, ys]
    return -picked.log().mean().item()


def perplexity(words, probs, stoi):
    return torch.tensor(nll(words, probs, stoi), dtype=torch.float64).exp().item()
