"""IoU and NMS, written with loops over box pairs where it keeps the code obvious."""
import torch


def area_of(box):
    return max(0.0, float(box[2] - box[0])) * max(0.0, float(box[3] - box[1]))


def pair_iou(p, q):
    ix = min(float(p[2]), float(q[2])) - max(float(p[0]), float(q[0]))
    iy = min(float(p[3]), float(q[3])) - max(float(p[1]), float(q[1]))
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    return inter / (area_of(p) + area_of(q) - inter)


def box_iou(boxes1, boxes2):
    out_dtype = boxes1.dtype if boxes1.is_floating_point() else torch.float32
    result = torch.zeros(len(boxes1), len(boxes2), dtype=torch.float64)
    for i in range(len(boxes1)):
        for j in range(len(boxes2)):
            result[i, j] = pair_iou(boxes1[i], boxes2[j])
    return result.to(out_dtype)


def nms(boxes, scores, iou_threshold):
    order = sorted(range(len(scores)), key=lambda idx: (-float(scores[idx]), idx))
    alive = [True] * len(order)
    answer = []
    for pos, idx in enumerate(order):
        if not alive[pos]:
            continue
        answer.append(idx)
        for later in range(pos + 1, len(order)):
            if alive[later] and pair_iou(boxes[idx], boxes[order[later]]) > iou_threshold:
                alive[later] = False
    return torch.tensor(answer, dtype=torch.int64)
