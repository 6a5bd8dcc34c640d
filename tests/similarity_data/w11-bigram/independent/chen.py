from collections import Counter
import math

import torch


def build_vocab(words):
    seen = []
    for ch in sorted("".join(words)):
        if ch not in seen:
            seen.append(ch)
    itos = ["."] + seen
    stoi = {}
    for index, ch in enumerate(itos):
        stoi[ch] = index
    return stoi, itos


def _pairs(word):
    chars = "." + word + "."
    return [(chars[i], chars[i + 1]) for i in range(len(chars) - 1)]


def bigram_counts(words, stoi):
    tally = Counter(pair for word in words for pair in _pairs(word))
    table = torch.zeros(len(stoi), len(stoi), dtype=torch.int64)
    for (first, second), n in tally.items():
        table[stoi[first]][stoi[second]] = n
    return table


def bigram_probs(counts, smoothing=1):
    rows = []
    for row in (counts + smoothing).tolist():
        total = float(sum(row))
        rows.append([value / total for value in row])
    return torch.tensor(rows, dtype=torch.float32)


def nll(words, probs, stoi):
    terms = [probs[stoi[a], stoi[b]].item() for word in words for a, b in _pairs(word)]
    if any(t == 0 for t in terms):
        return float("inf")
    return -sum(math.log(t) for t in terms) / len(terms)


def perplexity(words, probs, stoi):
    return math.e ** nll(words, probs, stoi)
