#!/usr/bin/env python3
"""Two seeded versions of a red line for `redline diff` tests (stdlib only).

usage: make_versions.py POOL_A.geojson POOL_B.geojson SEED OUT_DIR

POOL_A and POOL_B are constraint sets from ../shared/anchors/gen_data.py (two seeds, same bbox).
OLD = every feature of POOL_A. NEW: of each OLD feature, 70 % kept as it is, 15 % moved (same id,
translated by 0.001..0.004 degrees: the boundary moves), 15 % dropped; plus as many POOL_B features as
were dropped, with new ids N000001... Writes OUT_DIR/old.geojson and OUT_DIR/new.geojson (compact).
"""
import json
import random
import sys


def translate(coords, dx, dy):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0] + dx, 7), round(coords[1] + dy, 7)]
    return [translate(c, dx, dy) for c in coords]


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    a = json.load(open(sys.argv[1]))["features"]
    b = json.load(open(sys.argv[2]))["features"]
    rnd = random.Random(int(sys.argv[3]))
    out = sys.argv[4]
    new, dropped = [], 0
    for f in a:
        r = rnd.random()
        if r < 0.70:
            new.append(f)
        elif r < 0.85:
            dx = rnd.choice([-1, 1]) * rnd.uniform(0.001, 0.004)
            dy = rnd.choice([-1, 1]) * rnd.uniform(0.001, 0.004)
            g = dict(f["geometry"], coordinates=translate(f["geometry"]["coordinates"], dx, dy))
            new.append(dict(f, geometry=g))
        else:
            dropped += 1
    for k, f in enumerate(b[:dropped]):
        new.append(dict(f, properties=dict(f["properties"], id="N%06d" % (k + 1))))
    for name, feats in (("old", a), ("new", new)):
        with open("%s/%s.geojson" % (out, name), "w") as w:
            json.dump({"type": "FeatureCollection", "features": feats}, w, separators=(",", ":"), ensure_ascii=False)
    print("make_versions: old=%d new=%d (dropped %d, added %d)" % (len(a), len(new), dropped, dropped), file=sys.stderr)


main()
