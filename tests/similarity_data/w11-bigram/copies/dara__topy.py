#!/usr/bin/env python
# coding: utf-8

# In[1]:


import math
import torch


# In[2]:


def build_vocab(words):
    chars = sorted(set(''.join(words)))
    stoi = {'.': 0}
    stoi.update({c: i + 1 for i, c in enumerate(chars)})
    itos = [None] * len(stoi)
    for c, i in stoi.items():
        itos[i] = c
    return stoi, itos


# In[3]:


def bigram_counts(words, stoi):
    idx = [(stoi[a], stoi[b]) for w in words for a, b in zip('.' + w, w + '.')]
    counts = torch.zeros(len(stoi) ** 2, dtype=torch.int64)
    flat = torch.tensor([i * len(stoi) + j for i, j in idx], dtype=torch.int64)
    counts.index_add_(0, flat, torch.ones_like(flat))
    return counts.view(len(stoi), len(stoi))


# In[4]:


def bigram_probs(counts, smoothing=1):
    counts = counts.to(torch.float32) + smoothing
    return counts / counts.sum(dim=1, keepdim=True)


def nll(words, probs, stoi):
    logp = torch.log(probs.to(torch.float64))
    total, n = 0.0, 0
    for w in words:
        for a, b in zip('.' + w, w + '.'):
            total -= logp[stoi[a], stoi[b]].item()
            n += 1
    return total / n


def perplexity(words, probs, stoi):
    return math.exp(nll(words, probs, stoi))

