package dxf

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// LayerStat is one layer of a drawing as `redline info` lists it.
type LayerStat struct {
	Name     string
	Color    int // ACI colour of the layer table entry (7 when none)
	Entities int // model-space entities on the layer, drawn or not (block contents not counted)
}

// Layers lists the layers of a drawing (the layer table and any layer only
// entities name), sorted by name, with their model-space entity counts.
func Layers(r io.Reader, name string) ([]LayerStat, error) {
	tr, err := newTagReader(r, 2<<30)
	if err != nil {
		return nil, fmt.Errorf("dxf: %s: %w", name, err)
	}
	d := &drawing{blocks: map[string]*block{}, skipped: map[string]int{}, allUTF8: true, allGB: true}
	if err := d.parse(tr); err != nil {
		return nil, fmt.Errorf("dxf: %s: %w", name, err)
	}
	d.dec, _ = chooseDecoder(d.acadver, d.codepage, d.allUTF8, d.allGB)
	stats := map[string]*LayerStat{}
	get := func(raw string) *LayerStat {
		n := d.dec.decode(raw)
		if n == "" {
			n = "0"
		}
		k := strings.ToUpper(n)
		if s, ok := stats[k]; ok {
			return s
		}
		s := &LayerStat{Name: n, Color: 7}
		stats[k] = s
		return s
	}
	for _, l := range d.layers {
		get(l.name).Color = l.color
	}
	for _, e := range d.entities {
		get(e.layer).Entities++
	}
	out := make([]LayerStat, 0, len(stats))
	for _, s := range stats {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
