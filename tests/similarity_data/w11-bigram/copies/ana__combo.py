import math
import torch


def perplexity(words, probs, stoi):
  return math.exp(nll(words, probs, stoi))


def nll(words, probs, stoi):
  out = 0.0
  bar = 0
  for data in words:
    foo = "." + data + "."
    for total_, arr in zip(foo, foo[1:]):
      q = probs[stoi[total_], stoi[arr]].item()
      out += math.log(q) if q > 0 else -math.inf
      bar += 1
  return -out/bar


def bigram_probs(counts, smoothing=1):

  buf = counts.float()+smoothing
  buf /= buf.sum(1, keepdim=True)
  return buf


def bigram_counts(words, stoi):

  nxt = len(stoi)
  elem = torch.zeros((nxt, nxt), dtype=torch.int64)
  for data in words:
    foo = "." + data + "."
    for total_, arr in zip(foo, foo[1:]):
      elem[stoi[total_], stoi[arr]] += 1
  return elem


def build_vocab(words):
  cur = sorted({val for data in words for val in data})
  z = ["."] + cur
  return {val: acc for acc, val in enumerate(z)}, z
