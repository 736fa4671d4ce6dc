package jzd

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/redline-gis/redline/geo/crs"
)

// swapCheck detects files that write X = easting, Y = northing (GIS order)
// instead of the format's X = northing: when every X carries a zone prefix
// (≥ 10⁷) and no Y does, the columns are swapped back, with a warning.
func (p *parser) swapCheck() error {
	xPrefixed, yPrefixed := 0, 0
	for _, pl := range p.plots {
		for _, pt := range pl.points {
			if math.Abs(pt.north) >= 1e7 {
				xPrefixed++
			}
			if math.Abs(pt.east) >= 1e7 {
				yPrefixed++
			}
		}
	}
	if xPrefixed == 0 || yPrefixed > 0 || xPrefixed != p.npts {
		return nil
	}
	p.warnf(p.plots[0].line, "X carries the zone prefix and Y does not: read X as easting and Y as northing")
	for _, pl := range p.plots {
		for i := range pl.points {
			pt := &pl.points[i]
			pt.north, pt.east = pt.east, pt.north
		}
	}
	return nil
}

// crs sets p.src.CRS from the header keys and the eastings.
func (p *parser) crs() error {
	h := p.header
	// 坐标系
	cs, ok := h["坐标系"]
	switch {
	case !ok || cs.value == "":
		p.warnf(cs.line, "坐标系 missing or empty: assuming CGCS2000 (2000国家大地坐标系)")
	default:
		v := strings.ToUpper(cs.value)
		switch {
		case strings.Contains(v, "2000") || strings.Contains(v, "CGCS"):
		case strings.Contains(v, "80") || strings.Contains(v, "西安"),
			strings.Contains(v, "54") || strings.Contains(v, "北京"):
			return p.errorf(cs.line, "坐标系 %q: Xian 1980 / Beijing 1954 not supported: convert to CGCS2000 first", cs.value)
		case strings.Contains(v, "WGS") && strings.Contains(v, "84"):
			p.warnf(cs.line, "坐标系 %q: read as CGCS2000 (they differ by centimetres)", cs.value)
		default:
			return p.errorf(cs.line, "坐标系 %q not supported: only CGCS2000 (2000国家大地坐标系) Gauss-Krüger coordinates are", cs.value)
		}
	}
	// 计量单位
	if u, ok := h["计量单位"]; !ok || u.value == "" {
		p.warnf(u.line, "计量单位 missing or empty: assuming metres")
	} else {
		switch strings.ToLower(u.value) {
		case "米", "m", "metre", "meter", "metres", "meters", "公尺":
		default:
			return p.errorf(u.line, "计量单位 %q not supported: coordinates must be in metres (米)", u.value)
		}
	}
	// 投影类型
	if t, ok := h["投影类型"]; ok && t.value != "" {
		v := strings.ToLower(strings.NewReplacer("-", "", "–", "", " ", "", "·", "").Replace(t.value))
		if !strings.Contains(v, "高斯") && !strings.Contains(v, "gauss") {
			return p.errorf(t.line, "投影类型 %q not supported: only Gauss-Krüger (高斯克吕格)", t.value)
		}
	}
	// 几度分带
	width := 0
	wk, ok := h["几度分带"]
	if !ok {
		for _, alt := range []string{"分带", "分带类型", "分带方式", "投影分带"} {
			if k, found := h[alt]; found {
				wk, ok = k, true
				p.warnf(k.line, "key %s read as 几度分带", alt)
				break
			}
		}
	}
	if ok && wk.value != "" {
		switch v := wk.value; {
		case strings.HasPrefix(v, "3") || strings.HasPrefix(v, "三"):
			width = 3
		case strings.HasPrefix(v, "6") || strings.HasPrefix(v, "六"):
			width = 6
		default:
			return p.errorf(wk.line, "几度分带 %q: expected 3 or 6", v)
		}
	}
	// 带号 from the header
	zone, zoneLine := 0, 0
	if zk, ok := h["带号"]; ok && zk.value != "" {
		z, err := strconv.Atoi(strings.TrimSuffix(zk.value, "带"))
		if err != nil {
			return p.errorf(zk.line, "bad 带号 %q", zk.value)
		}
		zone, zoneLine = z, zk.line
	}
	// the zone prefix of the eastings
	prefixZone, prefixed, plain := 0, 0, 0
	var firstPlain, firstPrefixed point
	for _, pl := range p.plots {
		for _, pt := range pl.points {
			if pt.east >= 1e7 {
				z := int(pt.east / 1e6)
				if prefixed == 0 {
					prefixZone, firstPrefixed = z, pt
				} else if z != prefixZone {
					return p.plotErrorf(pl, pt.line, "easting %v is in zone %d, earlier ones (line %d) in zone %d", pt.east, z, firstPrefixed.line, prefixZone)
				}
				prefixed++
			} else {
				if plain == 0 {
					firstPlain = pt
				}
				plain++
			}
		}
	}
	if prefixed > 0 && plain > 0 {
		return p.errorf(firstPlain.line, "easting %v has no zone prefix, but the one on line %d has (%v)", firstPlain.east, firstPrefixed.line, firstPrefixed.east)
	}
	from := "TXT header"
	switch {
	case zone == 0 && prefixed == 0:
		return fmt.Errorf("data: %s: no 带号 in the header and the eastings carry no zone prefix: cannot tell the Gauss-Krüger zone", p.name)
	case zone == 0:
		zone = prefixZone
		from = "TXT coordinates"
		p.warnf(h["带号"].line, "带号 missing or empty: zone %d taken from the easting prefix", zone)
	case prefixed > 0 && zone != prefixZone:
		return p.errorf(zoneLine, "带号 %d but the eastings carry zone %d (line %d: %v)", zone, prefixZone, firstPrefixed.line, firstPrefixed.east)
	}
	if width == 0 {
		switch {
		case zone >= 25 && zone <= 45:
			width = 3
		case zone >= 13 && zone <= 23:
			width = 6
		default:
			return p.errorf(zoneLine, "zone %d is neither a 3° (25–45) nor a 6° (13–23) zone of China", zone)
		}
		p.warnf(wk.line, "几度分带 missing: zone %d read as a %d° zone", zone, width)
	}
	c, err := crs.GK(width, zone, prefixed > 0)
	if err != nil {
		return p.errorf(zoneLine, "%w", err)
	}
	p.src.CRS, p.src.CRSFrom = c, from
	return nil
}
