"""Week 15 - self-attention (Alice)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Head(nn.Module):
    """one head of causal self-attention"""

    def __init__(self, n_embd, head_size, block_size, dropout=0.0):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer('tril', torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)

    def attention_weights(self, x):
        B, T, C = x.shape
        k = self.key(x)                                    # (B, T, hs)
        q = self.query(x)                                  # (B, T, hs)
        hs = k.shape[-1]
        wei = q @ k.transpose(-2, -1) * hs ** -0.5         # scale by head_size, NOT C
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float('-inf'))
        return F.softmax(wei, dim=-1)

    def forward(self, x):
        wei = self.dropout(self.attention_weights(x))
        return wei @ self.value(x)                         # (B, T, hs)


class MultiHeadAttention(nn.Module):
    def __init__(self, num_heads, head_size, n_embd, block_size, dropout=0.0):
        super().__init__()
        self.heads = nn.ModuleList(Head(n_embd, head_size, block_size, dropout) for _ in range(num_heads))
        self.proj = nn.Linear(num_heads * head_size, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        out = torch.cat([h(x) for h in self.heads], dim=-1)   # (B, T, num_heads * hs)
        return self.dropout(self.proj(out))


if __name__ == "__main__":
    torch.manual_seed(1337)
    x = torch.randn(4, 8, 32)
    head = Head(32, 16, 8)
    print(head(x).shape)
    print(head.attention_weights(x)[0].sum(-1))    # all ones
    print(MultiHeadAttention(4, 8, 32, 8)(x).shape)
