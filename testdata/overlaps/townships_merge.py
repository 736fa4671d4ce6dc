#!/usr/bin/env python3
"""Merge the 77 Lincang township outlines into one GeoJSON layer (stdout).

usage: townships_merge.py ../shared/data/real/lincang-weather-shihongbo1314 > townships.geojson

Files 5309xx/<乡镇名>.json, sorted by their path relative to the folder
(folder, then name, by code point = UTF-8 byte order, as Go sorts strings);
the county files 5309xx/5309xx.json and 530925/双江县.json are left out (see
SOURCE.md there). Each becomes a Feature with id "<county>/<name>" and
properties {"id", "name", "county"}; its geometry is the file's only member.
"""
import json, os, sys

root = sys.argv[1]
paths = []
for county in sorted(os.listdir(root)):
    d = os.path.join(root, county)
    if not os.path.isdir(d):
        continue
    for name in sorted(os.listdir(d)):
        stem = name[:-5]
        if not name.endswith(".json") or stem == county or (county, stem) == ("530925", "双江县"):
            continue
        paths.append((county, stem, os.path.join(d, name)))
feats = []
for county, stem, p in paths:
    g = json.load(open(p, encoding="utf-8"))
    if g["type"] == "GeometryCollection":
        g = g["geometries"][0]
    feats.append({"type": "Feature", "properties": {"id": county + "/" + stem, "name": stem, "county": county}, "geometry": g})
json.dump({"type": "FeatureCollection", "features": feats}, sys.stdout, ensure_ascii=False)
