import math

import torch


def build_vocab(words):
    letters = sorted({c for w in words for c in w})
    itos = ["."] + letters
    return {c: i for i, c in enumerate(itos)}, itos


def bigram_counts(words, stoi):
    V = len(stoi)
    N = torch.zeros((V, V), dtype=torch.int64)
    for w in words:
        seq = "." + w + "."
        for a, b in zip(seq, seq[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


def bigram_probs(counts, smoothing=1):
    P = counts.float() + smoothing
    P /= P.sum(1, keepdim=True)
    return P


def nll(words, probs, stoi):
    log_likelihood = 0.0
    n = 0
    for w in words:
        seq = "." + w + "."
        for a, b in zip(seq, seq[1:]):
            p = probs[stoi[a], stoi[b]].item()
            log_likelihood += math.log(p) if p > 0 else -math.inf
            n += 1
    return -log_likelihood / n


def perplexity(words, probs, stoi):
    return math.exp(nll(words, probs, stoi))
