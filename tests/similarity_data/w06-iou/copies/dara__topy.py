#!/usr/bin/env python
# coding: utf-8

# In[1]:


import torch


# In[2]:


class _Box:
    def __init__(self, row):
        self.x1, self.y1, self.x2, self.y2 = (float(v) for v in row)

    @property
    def area(self):
        return (self.x2 - self.x1) * (self.y2 - self.y1)

    def intersect(self, other):
        w = min(self.x2, other.x2) - max(self.x1, other.x1)
        h = min(self.y2, other.y2) - max(self.y1, other.y1)
        return w * h if w > 0 and h > 0 else 0.0


# In[3]:


def box_iou(boxes1, boxes2):
    left = [_Box(r) for r in boxes1.tolist()]
    right = [_Box(r) for r in boxes2.tolist()]
    rows = []
    for p in left:
        row = []
        for q in right:
            shared = p.intersect(q)
            row.append(shared / (p.area + q.area - shared) if shared else 0.0)
        rows.append(row)
    dtype = boxes1.dtype if boxes1.dtype.is_floating_point else torch.float32
    return torch.tensor(rows, dtype=dtype).reshape(len(left), len(right))


# In[4]:


def nms(boxes, scores, iou_threshold):
    candidates = sorted(zip(scores.tolist(), range(len(boxes))), key=lambda t: -t[0])
    iou = box_iou(boxes, boxes)
    chosen = []
    for _, idx in candidates:
        if all(iou[idx, c] <= iou_threshold for c in chosen):
            chosen.append(idx)
    return torch.tensor(chosen, dtype=torch.int64)

