#!/usr/bin/env python
# coding: utf-8

# In[1]:


import torch
from torch import nn


# In[2]:


def build_mlp(n_features: int, hidden: list[int], n_classes: int) -> nn.Sequential:
    model = nn.Sequential()
    previous = n_features
    for width in hidden:
        model.append(nn.Linear(previous, width))
        model.append(nn.ReLU())
        previous = width
    model.append(nn.Linear(previous, n_classes))
    return model


# In[3]:


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    counted = 0
    for name, tensor in model.named_parameters():
        if tensor.requires_grad or not trainable_only:
            counted += tensor.nelement()
    return counted


# In[4]:


def linear_stack_params(sizes: list[int]) -> int:
    if len(sizes) < 2:
        return 0
    ins = torch.tensor(sizes[:-1])
    outs = torch.tensor(sizes[1:])
    return int((ins * outs + outs).sum())

