#!/usr/bin/env python3
"""Seeded land classes for the cells of a grid (stdlib only; same seed, same output).

usage: cells.py NX NY SEED > cells.csv
  i,j,dlbm,dlmc,what   what: keep | drop (a gap: no feature) | dup (also a smaller overlapping
                       feature of the same class) | code (DLBM only, no DLMC)
"""
import random
import sys

CLASSES = [("0101", "水田", 3), ("0103", "旱地", 4), ("0201", "果园", 1), ("0202", "茶园", 2),
           ("0301", "乔木林地", 6), ("0305", "灌木林地", 2), ("0702", "农村宅基地", 1), ("1003", "公路用地", 1)]


def main():
    nx, ny, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    weights = [w for _, _, w in CLASSES]
    print("i,j,dlbm,dlmc,what")
    for i in range(nx):
        for j in range(ny):
            code, name, _ = rng.choices(CLASSES, weights)[0]
            r = rng.random()
            what = "drop" if r < 0.06 else "dup" if r < 0.12 else "code" if r < 0.2 else "keep"
            print(f"{i},{j},{code},{name},{what}")


if __name__ == "__main__":
    main()
