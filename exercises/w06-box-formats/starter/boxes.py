"""w06-box-formats: bounding-box formats and the tightest box around an object.

Boxes are float tensors of shape [N, 4] (one row per box). Formats:
  xyxy   (x1, y1, x2, y2): top-left and bottom-right corners, the way PyTorch uses them (notes L5063-5075)
  xywh   (x1, y1, w, h):   top-left corner, width and height
  cxcywh (cx, cy, w, h):   centre, width and height
x runs along image columns, y along rows. Return new tensors of the same dtype as the input.
"""

from __future__ import annotations

import torch


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """Convert [N, 4] boxes from (x1, y1, w, h) to (x1, y1, x2, y2)."""
    raise NotImplementedError  # TODO


def xyxy_to_xywh(boxes: torch.Tensor) -> torch.Tensor:
    """Convert [N, 4] boxes from (x1, y1, x2, y2) to (x1, y1, w, h)."""
    raise NotImplementedError  # TODO


def cxcywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """Convert [N, 4] boxes from (cx, cy, w, h) to (x1, y1, x2, y2)."""
    raise NotImplementedError  # TODO


def xyxy_to_cxcywh(boxes: torch.Tensor) -> torch.Tensor:
    """Convert [N, 4] boxes from (x1, y1, x2, y2) to (cx, cy, w, h)."""
    raise NotImplementedError  # TODO


def box_convert(boxes: torch.Tensor, in_fmt: str, out_fmt: str) -> torch.Tensor:
    """Convert [N, 4] boxes from in_fmt to out_fmt ("xyxy", "xywh" or "cxcywh").

    Raise ValueError for any other format name.
    """
    raise NotImplementedError  # TODO


def to_box_batch(box: torch.Tensor) -> torch.Tensor:
    """Return a batch of boxes [N, 4]: a single box [4] becomes [1, 4], a batch [N, 4] is returned as is.

    Raise ValueError for any other shape (for example the notes' [1, 1, 4]).
    """
    raise NotImplementedError  # TODO


def tightest_box(mask: torch.Tensor) -> torch.Tensor:
    """The tightest xyxy box around the non-zero pixels of a [H, W] mask, as an int64 tensor [4].

    x1, y1 are the first object column and row; x2, y2 are EXCLUSIVE (last object column/row + 1),
    so that mask[y1:y2, x1:x2] is the object's crop. Raise ValueError if the mask has no non-zero pixel.
    """
    raise NotImplementedError  # TODO
