#!/usr/bin/env python3
"""Convert `redline screen --format json` output to the anchors' CSV shapes.

usage: anchors_csv.py pairs|per-site screen.json > out.csv
pairs:    site_idx,site_id,layer_idx,layer_id,site_area_m2,overlap_m2,overlap_pct
          (conflicts, plus touching-only features listed as nearby at 0 m, as PostGIS lists them)
per-site: site_idx,site_id,site_area_m2,overlap_m2,overlap_pct (first layer, dissolved)
"""
import csv, json, sys

mode, path = sys.argv[1], sys.argv[2]
res = json.load(open(path, encoding="utf-8"))
w = csv.writer(sys.stdout, lineterminator="\n")
if mode == "pairs":
    w.writerow(["site_idx", "site_id", "layer_idx", "layer_id", "site_area_m2", "overlap_m2", "overlap_pct"])
    for s in res["sites"]:
        for c in s["conflicts"]:
            w.writerow([s["index"], s["id"], c["feature_index"], c["feature_id"], repr(s["area_m2"]), repr(c["overlap_m2"]), repr(c["overlap_pct"])])
        for n in s["nearby"]:
            if n["touching"]:
                w.writerow([s["index"], s["id"], n["feature_index"], n["feature_id"], repr(s["area_m2"]), "0", "0"])
else:
    w.writerow(["site_idx", "site_id", "site_area_m2", "overlap_m2", "overlap_pct"])
    for s in res["sites"]:
        l = s["layers"][0]
        w.writerow([s["index"], s["id"], repr(s["area_m2"]), repr(l["overlap_m2"]), repr(l["overlap_pct"])])
