#!/usr/bin/env python3
"""Seeded land classes for the cells of a grid (stdlib only; same seed, same output).

usage: cells.py NX NY SEED [CLASSES] > cells.csv   (CLASSES: 8, the default, or 20 for the benchmark)
  i,j,dlbm,dlmc,what   what: keep | drop (a gap: no feature) | dup (also a smaller overlapping
                       feature of the same class) | code (DLBM only, no DLMC)
"""
import random
import sys

CLASSES = [("0101", "水田", 3), ("0103", "旱地", 4), ("0201", "果园", 1), ("0202", "茶园", 2),
           ("0301", "乔木林地", 6), ("0305", "灌木林地", 2), ("0702", "农村宅基地", 1), ("1003", "公路用地", 1)]
MORE = [("0102", "水浇地", 1), ("0204", "其他园地", 1), ("0302", "竹林地", 1), ("0307", "其他林地", 2),
        ("0404", "其他草地", 1), ("0601", "工业用地", 1), ("0701", "城镇住宅用地", 1), ("1006", "农村道路", 1),
        ("1101", "河流水面", 1), ("1104", "坑塘水面", 1), ("1107", "沟渠", 1), ("1206", "裸土地", 1)]


def main():
    nx, ny, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    classes = CLASSES + (MORE if len(sys.argv) > 4 and sys.argv[4] == "20" else [])
    rng = random.Random(seed)
    weights = [w for _, _, w in classes]
    print("i,j,dlbm,dlmc,what")
    for i in range(nx):
        for j in range(ny):
            code, name, _ = rng.choices(classes, weights)[0]
            r = rng.random()
            what = "drop" if r < 0.06 else "dup" if r < 0.12 else "code" if r < 0.2 else "keep"
            print(f"{i},{j},{code},{name},{what}")


if __name__ == "__main__":
    main()
