"""IoU + NMS, week 6. Alice.

Everything by hand (torchvision.ops is not allowed for this exercise).
"""
import torch


def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes1, boxes2):
    if not torch.is_floating_point(boxes1):
        boxes1 = boxes1.to(torch.float32)
    if not torch.is_floating_point(boxes2):
        boxes2 = boxes2.to(torch.float32)
    # broadcast [N, 1, 2] against [1, M, 2]
    lt = torch.max(boxes1[:, None, :2], boxes2[None, :, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[None, :, 2:])
    wh = (rb - lt).clamp(min=0)          # no overlap -> 0 width / height
    inter = wh[:, :, 0] * wh[:, :, 1]
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return inter / union


def nms(boxes, scores, iou_threshold):
    idxs = torch.argsort(scores, descending=True)
    keep = []
    while len(idxs) > 0:
        i = idxs[0]
        keep.append(i.item())
        rest = idxs[1:]
        if len(rest) == 0:
            break
        overlaps = box_iou(boxes[i:i + 1], boxes[rest])[0]
        idxs = rest[overlaps <= iou_threshold]   # strictly greater -> suppressed
    return torch.tensor(keep, dtype=torch.int64)


if __name__ == "__main__":
    b1 = torch.tensor([[50, 50, 150, 150]])
    b2 = torch.tensor([[100, 100, 200, 200]])
    print(box_iou(b1, b2))  # tensor([[0.1429]])
    boxes = torch.tensor([[0., 0, 10, 10], [1, 1, 11, 11], [50, 50, 60, 60]])
    print(nms(boxes, torch.tensor([0.6, 0.8, 0.7]), 0.5))  # tensor([1, 2])
