"""Week 11: bigram language model by counting (Alice)."""
import math

import torch


def build_vocab(words):
    chars = sorted(set(''.join(words)))
    itos = ['.'] + chars                       # '.' is both <S> and <E>, index 0
    stoi = {s: i for i, s in enumerate(itos)}
    return stoi, itos


def bigram_counts(words, stoi):
    V = len(stoi)
    N = torch.zeros((V, V), dtype=torch.int64)
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            N[stoi[ch1], stoi[ch2]] += 1
    return N


def bigram_probs(counts, smoothing=1):
    P = (counts + smoothing).float()
    return P / P.sum(dim=1, keepdim=True)     # keepdim! otherwise broadcasting divides the columns


def nll(words, probs, stoi):
    log_likelihood = 0.0
    n = 0
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            p = probs[stoi[ch1], stoi[ch2]]
            log_likelihood += torch.log(p).item()   # log(0) = -inf -> nll = inf
            n += 1
    return -log_likelihood / n


def perplexity(words, probs, stoi):
    return math.exp(nll(words, probs, stoi))


if __name__ == "__main__":
    words = ["emma", "olivia", "ava", "isabella"]
    stoi, itos = build_vocab(words)
    N = bigram_counts(words, stoi)
    P = bigram_probs(N)
    print(itos)
    print(N.sum().item(), "bigrams")
    print(f"nll = {nll(words, P, stoi):.4f}, perplexity = {perplexity(words, P, stoi):.3f}")
    print("jqaguar-like word without smoothing:", nll(["vava"], bigram_probs(N, 0), stoi))
