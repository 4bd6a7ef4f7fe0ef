"""Draws the kernel preview's built-in photo: a 128x128 grayscale scene (a house with a roof,
windows and a door, a sun, a tree, hills and a fence) rendered procedurally, so that the app
ships no third-party picture. Its straight, slanted and round edges show each kernel preset.

Run once: /usr/bin/python3 scripts/build-scene.py  (writes public/images/scene-128.png)
"""
import math
import random
from PIL import Image, ImageDraw, ImageFilter

S = 4  # drawn 4x larger, then downscaled: smooth edges
W = 128 * S
img = Image.new('L', (W, W), 0)
d = ImageDraw.Draw(img)
# Sky: a vertical gradient.
for y in range(W):
    d.line([(0, y), (W, y)], fill=int(200 - 70 * y / W))
d.ellipse([92 * S, 10 * S, 116 * S, 34 * S], fill=250)  # sun
d.pieslice([-40 * S, 70 * S, 90 * S, 170 * S], 180, 360, fill=95)  # hills
d.pieslice([50 * S, 78 * S, 180 * S, 170 * S], 180, 360, fill=80)
d.rectangle([0, 104 * S, W, W], fill=70)  # ground
d.rectangle([22 * S, 62 * S, 74 * S, 108 * S], fill=175)  # house wall
d.polygon([(16 * S, 64 * S), (48 * S, 36 * S), (80 * S, 64 * S)], fill=45)  # roof
d.rectangle([30 * S, 72 * S, 42 * S, 84 * S], fill=30)  # windows
d.rectangle([56 * S, 72 * S, 68 * S, 84 * S], fill=30)
d.line([(36 * S, 72 * S), (36 * S, 84 * S)], fill=175, width=S)
d.line([(30 * S, 78 * S), (42 * S, 78 * S)], fill=175, width=S)
d.line([(62 * S, 72 * S), (62 * S, 84 * S)], fill=175, width=S)
d.line([(56 * S, 78 * S), (68 * S, 78 * S)], fill=175, width=S)
d.rectangle([44 * S, 88 * S, 52 * S, 108 * S], fill=60)  # door
d.rectangle([96 * S, 78 * S, 102 * S, 110 * S], fill=50)  # tree trunk
d.ellipse([84 * S, 52 * S, 114 * S, 86 * S], fill=120)  # tree crown
for x in range(2, 128, 8):  # fence
    d.rectangle([x * S, 112 * S, (x + 3) * S, 124 * S], fill=215)
d.rectangle([0, 115 * S, W, 117 * S], fill=215)
img = img.resize((128, 128), Image.LANCZOS)
# A little film grain, from a fixed seed: flat areas are not perfectly flat in a photo.
random.seed(7)
px = img.load()
for y in range(128):
    for x in range(128):
        px[x, y] = max(0, min(255, px[x, y] + int(random.gauss(0, 3))))
img.save('public/images/scene-128.png', optimize=True)
