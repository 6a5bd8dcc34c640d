"""Mutant: box_convert applies the conversion out_fmt -> in_fmt (arguments read in the wrong order)."""

from __future__ import annotations

import torch

FORMATS = ("xyxy", "xywh", "cxcywh")


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """(x1, y1, w, h) -> (x1, y1, x2, y2): the bottom-right corner is the top-left plus the size."""
    x1, y1, w, h = boxes.unbind(-1)
    return torch.stack([x1, y1, x1 + w, y1 + h], dim=-1)


def xyxy_to_xywh(boxes: torch.Tensor) -> torch.Tensor:
    """(x1, y1, x2, y2) -> (x1, y1, w, h)."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack([x1, y1, x2 - x1, y2 - y1], dim=-1)


def cxcywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """(cx, cy, w, h) -> (x1, y1, x2, y2): half the size on each side of the centre."""
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)


def xyxy_to_cxcywh(boxes: torch.Tensor) -> torch.Tensor:
    """(x1, y1, x2, y2) -> (cx, cy, w, h)."""
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack([(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1], dim=-1)


def box_convert(boxes: torch.Tensor, in_fmt: str, out_fmt: str) -> torch.Tensor:
    """Convert between any two of the three formats, going through xyxy."""
    if in_fmt not in FORMATS or out_fmt not in FORMATS:
        raise ValueError(f"unknown box format: {in_fmt!r} -> {out_fmt!r}; use one of {FORMATS}")
    if in_fmt == out_fmt:
        return boxes.clone()
    to_xyxy = {"xyxy": lambda b: b, "xywh": xywh_to_xyxy, "cxcywh": cxcywh_to_xyxy}
    from_xyxy = {"xyxy": lambda b: b, "xywh": xyxy_to_xywh, "cxcywh": xyxy_to_cxcywh}
    return from_xyxy[in_fmt](to_xyxy[out_fmt](boxes))


def to_box_batch(box: torch.Tensor) -> torch.Tensor:
    """A single box [4] becomes a batch [1, 4]; a batch [N, 4] is returned as it is."""
    if box.dim() == 1 and box.shape[0] == 4:
        return box.unsqueeze(0)
    if box.dim() == 2 and box.shape[1] == 4:
        return box
    raise ValueError(f"expected a box of shape [4] or boxes of shape [N, 4], got {tuple(box.shape)}")


def tightest_box(mask: torch.Tensor) -> torch.Tensor:
    """The smallest xyxy box holding every non-zero pixel of a [H, W] mask; x2, y2 are exclusive."""
    ys, xs = torch.nonzero(mask, as_tuple=True)
    if ys.numel() == 0:
        raise ValueError("the mask has no object pixel")
    return torch.stack([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]).to(torch.int64)
