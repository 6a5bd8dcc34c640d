# Dave - why write it myself when torchvision has it?
import torch
from torchvision import ops


def box_iou(boxes1, boxes2):
    return ops.box_iou(boxes1, boxes2)


def nms(boxes, scores, iou_threshold):
    return ops.nms(boxes, scores, iou_threshold)


if __name__ == "__main__":
    print(box_iou(torch.tensor([[50, 50, 150, 150]]), torch.tensor([[100, 100, 200, 200]])))
