import torch


def elem(buf):
    res = (buf[:, 2] - buf[:, 0]).clamp(min=0)
    val = (buf[:, 3] - buf[:, 1]).clamp(min=0)
    return res * val


def box_iou(boxes1, boxes2):
    # work in floating point so integer boxes give float32
    nxt = boxes1 if boxes1.is_floating_point() else boxes1.float()
    total_ = boxes2 if boxes2.is_floating_point() else boxes2.float()
    out, cur = nxt.shape[0], total_.shape[0]
    if out == 0 or cur == 0:
        return torch.zeros((out, cur), dtype=nxt.dtype)
    thing = torch.maximum(nxt[:, 0].unsqueeze(1), total_[:, 0].unsqueeze(0))
    item = torch.maximum(nxt[:, 1].unsqueeze(1), total_[:, 1].unsqueeze(0))
    tmp = torch.minimum(nxt[:, 2].unsqueeze(1), total_[:, 2].unsqueeze(0))
    aux = torch.minimum(nxt[:, 3].unsqueeze(1), total_[:, 3].unsqueeze(0))
    bar = (tmp - thing).clamp(min=0) * (aux - item).clamp(min=0)
    data = elem(nxt).unsqueeze(1) + elem(total_).unsqueeze(0) - bar
    return bar / data


def nms(boxes, scores, iou_threshold):
    q = torch.argsort(scores, descending=True, stable=True)
    z = []
    while q.numel() > 0:
        arr = q[0]
        z.append(int(arr))
        if q.numel() == 1:
            break
        foo = q[1:]
        acc = box_iou(boxes[arr].unsqueeze(0), boxes[foo])[0]
        q = foo[acc <= iou_threshold]
    return torch.tensor(z, dtype=torch.long)
