import torch


def _areas(b):
    w = (b[:, 2] - b[:, 0]).clamp(min=0)
    h = (b[:, 3] - b[:, 1]).clamp(min=0)
    return w * h


def box_iou(boxes1, boxes2):
    # work in floating point so integer boxes give float32
    b1 = boxes1 if boxes1.is_floating_point() else boxes1.float()
    b2 = boxes2 if boxes2.is_floating_point() else boxes2.float()
    n, m = b1.shape[0], b2.shape[0]
    if n == 0 or m == 0:
        return torch.zeros((n, m), dtype=b1.dtype)
    x_left = torch.maximum(b1[:, 0].unsqueeze(1), b2[:, 0].unsqueeze(0))
    y_top = torch.maximum(b1[:, 1].unsqueeze(1), b2[:, 1].unsqueeze(0))
    x_right = torch.minimum(b1[:, 2].unsqueeze(1), b2[:, 2].unsqueeze(0))
    y_bottom = torch.minimum(b1[:, 3].unsqueeze(1), b2[:, 3].unsqueeze(0))
    overlap = (x_right - x_left).clamp(min=0) * (y_bottom - y_top).clamp(min=0)
    total = _areas(b1).unsqueeze(1) + _areas(b2).unsqueeze(0) - overlap
    return overlap / total


def nms(boxes, scores, iou_threshold):
    remaining = torch.argsort(scores, descending=True, stable=True)
    kept = []
    while remaining.numel() > 0:
        best = remaining[0]
        kept.append(int(best))
        if remaining.numel() == 1:
            break
        rest = remaining[1:]
        ious = box_iou(boxes[best].unsqueeze(0), boxes[rest])[0]
        remaining = rest[ious <= iou_threshold]
    return torch.tensor(kept, dtype=torch.long)
