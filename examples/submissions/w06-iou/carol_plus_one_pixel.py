# Carol - IoU / NMS
# I remember from the PASCAL VOC code that widths are x2 - x1 + 1
import torch


def box_iou(boxes1, boxes2):
    boxes1 = boxes1.float()
    boxes2 = boxes2.float()
    N, M = boxes1.shape[0], boxes2.shape[0]
    out = torch.zeros((N, M))
    for i in range(N):
        for j in range(M):
            a, b = boxes1[i], boxes2[j]
            iw = min(a[2], b[2]) - max(a[0], b[0]) + 1
            ih = min(a[3], b[3]) - max(a[1], b[1]) + 1
            if iw <= 0 or ih <= 0:
                continue
            inter = iw * ih
            area_a = (a[2] - a[0] + 1) * (a[3] - a[1] + 1)
            area_b = (b[2] - b[0] + 1) * (b[3] - b[1] + 1)
            out[i, j] = inter / (area_a + area_b - inter)
    return out


def nms(boxes, scores, iou_threshold):
    order = sorted(range(len(scores)), key=lambda k: -float(scores[k]))
    keep = []
    for k in order:
        if all(box_iou(boxes[k:k + 1], boxes[j:j + 1])[0, 0] <= iou_threshold for j in keep):
            keep.append(k)
    return torch.tensor(keep, dtype=torch.int64)


if __name__ == "__main__":
    print(box_iou(torch.tensor([[50, 50, 150, 150]]), torch.tensor([[100, 100, 200, 200]])))
