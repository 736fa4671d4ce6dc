package server

import (
	"fmt"
	"sync"

	"github.com/paulmach/orb"
)

// pageMemo remembers, per box of a pushdown layer's items, numberMatched
// and the fid each page ended at. A client reading the layer page by page
// (GDAL's OAPIF driver, QGIS) then costs one count per box instead of one
// per page, and each next page starts at the fid index instead of skipping
// OFFSET rows: reading n rows in pages is n log n, not n²/page.
//
// It lives with its catalog, so a reload (the table checked anew) starts
// empty. Both maps are bounded; past the bounds it forgets, and a request
// falls back to counting and OFFSET, with the same result.
type pageMemo struct {
	mu    sync.Mutex
	boxes map[string]*boxPages
	order []string // boxes in insertion order, for eviction
}

type boxPages struct {
	matched int
	after   map[int]int64 // page offset → fid of the row just before it
}

const (
	memoBoxes   = 256
	memoCursors = 4096 // per box
)

func boxKey(b *orb.Bound) string {
	if b == nil {
		return ""
	}
	return fmt.Sprintf("%x,%x,%x,%x", b.Min[0], b.Min[1], b.Max[0], b.Max[1])
}

// matched returns the remembered numberMatched of box b.
func (m *pageMemo) matched(b *orb.Bound) (int, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.boxes[boxKey(b)]
	if !ok {
		return 0, false
	}
	return p.matched, true
}

// cursor returns the fid the page at offset continues after.
func (m *pageMemo) cursor(b *orb.Bound, offset int) (int64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.boxes[boxKey(b)]
	if !ok {
		return 0, false
	}
	fid, ok := p.after[offset]
	return fid, ok
}

// remember records box b's numberMatched and, when a page ended at fid
// last, that the page at next continues after it.
func (m *pageMemo) remember(b *orb.Bound, matched, next int, last int64, ended bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.boxes == nil {
		m.boxes = map[string]*boxPages{}
	}
	k := boxKey(b)
	p, ok := m.boxes[k]
	if !ok {
		if len(m.order) >= memoBoxes {
			delete(m.boxes, m.order[0])
			m.order = m.order[1:]
		}
		p = &boxPages{matched: matched, after: map[int]int64{}}
		m.boxes[k] = p
		m.order = append(m.order, k)
	}
	if ended && len(p.after) < memoCursors {
		p.after[next] = last
	}
}
