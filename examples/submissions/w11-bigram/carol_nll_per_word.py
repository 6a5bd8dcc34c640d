# Carol - bigrams
import math

import torch


def build_vocab(words):
    letters = sorted(set(''.join(words)))
    stoi = {'.': 0}
    for i, ch in enumerate(letters):
        stoi[ch] = i + 1
    itos = sorted(stoi, key=stoi.get)
    return stoi, itos


def bigram_counts(words, stoi):
    counts = torch.zeros(len(stoi), len(stoi), dtype=torch.long)
    for word in words:
        word = '.' + word + '.'
        for a, b in zip(word, word[1:]):
            counts[stoi[a], stoi[b]] += 1
    return counts


def bigram_probs(counts, smoothing=1):
    probs = counts.float() + smoothing
    return probs / probs.sum(1, keepdim=True)


def nll(words, probs, stoi):
    total = 0.0
    for word in words:
        word = '.' + word + '.'
        for a, b in zip(word, word[1:]):
            total -= math.log(probs[stoi[a], stoi[b]].item()) if probs[stoi[a], stoi[b]] > 0 else -math.inf
    # average loss per name
    return total / len(words)


def perplexity(words, probs, stoi):
    return math.exp(nll(words, probs, stoi))
