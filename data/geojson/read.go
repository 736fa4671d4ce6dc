package geojson

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redline-gis/redline/geo"
	"github.com/redline-gis/redline/geo/crs"
)

// Read reads a GeoJSON FeatureCollection, a bare JSON array of
// Features, a single Feature, or a bare Geometry or GeometryCollection,
// streaming the features (the file is never held whole). A UTF-8 BOM is
// skipped. The legacy "crs" member is honoured, also after "features".
func Read(r io.Reader, name string) (*geo.Source, error) {
	return ReadLimit(r, name, 0)
}

// ReadLimit is Read that stops as soon as the features hold more than
// maxVertices vertices (0: no limit), before they fill memory.
//
// How: one goroutine finds each feature's bytes in the "features" array
// (string and escape aware bracket counting over a 1 MB buffer, no parsing)
// and hands full buffers, with the features' byte ranges, to one worker per
// core; the workers parse the features (feature.go) and the results are
// put back in file order.
func ReadLimit(r io.Reader, name string, maxVertices int) (*geo.Source, error) {
	if maxVertices <= 0 {
		maxVertices = math.MaxInt
	}
	chunk := streamChunk
	if l, ok := r.(interface{ Len() int }); ok && l.Len() < chunk {
		chunk = max(l.Len(), 1) // an input in memory: no buffer larger than itself
	}
	s := &stream{r: r, buf: make([]byte, chunk)}
	fail := func(err error) (*geo.Source, error) {
		return nil, fmt.Errorf("data: %s: %w", name, err)
	}
	if s.ensure(3) && bytes.HasPrefix(s.buf[s.pos:s.end], []byte{0xEF, 0xBB, 0xBF}) {
		s.pos += 3
	}
	src := &geo.Source{Format: "GeoJSON"}
	c, ok := s.peek()
	switch {
	case !ok && s.err != nil:
		return fail(s.err)
	case !ok:
		return fail(errors.New("not JSON: empty"))
	case c == '[':
		s.pos++
		if err := readFeatureArray(s, name, src, maxVertices); err != nil {
			return nil, err
		}
	case c == '{':
		s.pos++
		if err := readTopObject(s, name, src, maxVertices); err != nil {
			return nil, err
		}
	case c == '"' || c == '-' || '0' <= c && c <= '9' || c == 't' || c == 'f' || c == 'n':
		return fail(errors.New("not a GeoJSON object or array"))
	default:
		return fail(fmt.Errorf("not JSON: starts with %q", c))
	}
	// What follows the value must be white space: a second collection
	// after the first would otherwise be dropped without a word.
	if c, ok := s.peek(); ok {
		return fail(fmt.Errorf("data after the first JSON value at byte %d (found %q): one GeoJSON object or array per file", s.offset(), c))
	} else if s.err != nil {
		return fail(s.err)
	}
	return src, nil
}

// readTopObject walks the members of the top-level object (after its '{').
// "features" is streamed; the others are small and kept to decide what the
// object is.
func readTopObject(s *stream, name string, src *geo.Source, maxVertices int) error {
	fail := func(err error) error { return fmt.Errorf("data: %s: %w", name, err) }
	members := map[string]json.RawMessage{}
	sawFeatures := false
	c, ok := s.peek()
	if ok && c == '}' {
		s.pos++
	}
	for !(ok && c == '}') {
		raw, err := s.value()
		if err != nil {
			return fail(err)
		}
		var key string
		if raw[0] != '"' || json.Unmarshal(raw, &key) != nil {
			return fail(fmt.Errorf("want a member name, found %.20q", raw))
		}
		if c, ok := s.peek(); !ok || c != ':' {
			return fail(fmt.Errorf("member %q: want ':'", key))
		}
		s.pos++
		if key == "features" {
			if sawFeatures {
				src.Warnings = append(src.Warnings, geo.Warnf("a second \"features\" member at byte %d: its features are added to the first's", s.offset()))
			}
			if c, ok := s.peek(); !ok || c != '[' {
				return fail(errors.New("\"features\" is not an array"))
			}
			s.pos++
			if err := readFeatureArray(s, name, src, maxVertices); err != nil {
				return err
			}
			sawFeatures = true
		} else {
			raw, err := s.value()
			if err != nil {
				return fail(fmt.Errorf("member %q: %w", key, err))
			}
			if !json.Valid(raw) {
				return fail(fmt.Errorf("member %q: invalid JSON", key))
			}
			members[key] = bytes.Clone(raw)
		}
		c, ok = s.peek()
		if !ok {
			return fail(s.eofError())
		}
		s.pos++
		if c != ',' && c != '}' {
			return fail(fmt.Errorf("after member %q: want ',' or '}', found %q", key, c))
		}
	}
	if raw, ok := members["crs"]; ok {
		if err := applyCRSMember(raw, src); err != nil {
			return fail(err)
		}
	}
	var typ string
	rawType, hasType := members["type"]
	if hasType && json.Unmarshal(rawType, &typ) != nil {
		return fail(fmt.Errorf("\"type\" is %s, not a string: not GeoJSON", rawType))
	}
	switch {
	case sawFeatures:
		return nil
	case typ == "FeatureCollection":
		return fail(fmt.Errorf("a FeatureCollection without a \"features\" member%s", unknownMembers(members)))
	case typ == "":
		return fail(fmt.Errorf("no \"type\" member: not GeoJSON%s", unknownMembers(members)))
	}
	whole, _ := json.Marshal(members)
	p := &featureParser{}
	if typ == "Feature" {
		rec, err := p.parseFeature(whole)
		if err == nil && p.verts > maxVertices {
			err = fmt.Errorf("%d vertices, more than the limit of %d", p.verts, maxVertices)
		}
		if err != nil {
			return fmt.Errorf("data: %s: feature 0%s: %w", name, idLabel(rec.ID), err)
		}
		src.Records = append(src.Records, rec)
		return nil
	}
	p.b = whole
	g, err := p.geometry(0)
	if err == nil && p.verts > maxVertices {
		err = fmt.Errorf("%d vertices, more than the limit of %d", p.verts, maxVertices)
	}
	if err != nil {
		return fail(err)
	}
	src.Records = append(src.Records, geo.Record{Props: map[string]any{}, Geom: g, Extent: geo.ExtentOf(g)})
	return nil
}

// knownMembers are the top-level members GeoJSON (and its legacy crs)
// defines for the objects Read accepts.
var knownMembers = map[string]bool{"type": true, "features": true, "crs": true, "bbox": true, "id": true,
	"properties": true, "geometry": true, "coordinates": true, "geometries": true, "name": true}

// unknownMembers names the members that are not GeoJSON's, for a message
// about what was expected ("features", not "Features").
func unknownMembers(members map[string]json.RawMessage) string {
	var names []string
	for k := range members {
		if !knownMembers[k] {
			names = append(names, strconv.Quote(k))
		}
	}
	if len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	return "; unknown top-level member(s) " + strings.Join(names, ", ")
}

func idLabel(id string) string {
	if id == "" {
		return ""
	}
	return " (id " + id + ")"
}

// applyCRSMember reads the legacy {"type":"name","properties":{"name":...}}.
func applyCRSMember(raw json.RawMessage, src *geo.Source) error {
	var c struct {
		Type       string `json:"type"`
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, &c); err != nil || c.Properties.Name == "" {
		return fmt.Errorf("unreadable \"crs\" member %s", raw)
	}
	parsed, err := crs.Parse(c.Properties.Name)
	if err != nil {
		return fmt.Errorf("\"crs\" member: %w", err)
	}
	src.CRS, src.CRSFrom = parsed, "GeoJSON crs member"
	return nil
}

// featureBatch is a buffer of the input with the byte ranges of the
// features in it, parsed by one worker.
type featureBatch struct {
	seq    int
	first  int // index of the first feature in the file
	buf    []byte
	ranges [][2]int
	recs   []geo.Record
	err    error
}

// readFeatureArray reads the features of an array, after its '[', up to and
// including its ']'. It is a streaming pipeline (one reader cutting batches
// while parsers work on earlier ones, memory bounded by the channel), not a
// loop over known indexes, so it is the one parallel loop that does not use
// internal/par; like par it reports the error of the lowest batch.
func readFeatureArray(s *stream, name string, src *geo.Source, maxVertices int) error {
	var (
		batches []*featureBatch
		cur     *featureBatch
		jobs    = make(chan *featureBatch, 4)
		failSeq atomic.Int64 // lowest batch that failed
		verts   atomic.Int64
		wg      sync.WaitGroup
		index   = 0
	)
	failSeq.Store(math.MaxInt64)
	s.free = make(chan []byte, 8)
	workers := min(runtime.GOMAXPROCS(0), 8)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &featureParser{}
			for b := range jobs {
				parseBatch(p, b, name, &failSeq, &verts, int64(maxVertices))
				select {
				case s.free <- b.buf:
				default:
				}
				b.buf = nil
			}
		}()
	}
	// dispatch hands the current batch to the workers; the stream then
	// treats its buffer as shared and copies what it still needs.
	dispatch := func() {
		if cur != nil && len(cur.ranges) > 0 {
			cur.buf = s.buf
			batches = append(batches, cur)
			jobs <- cur
			s.shared = true
		}
		cur = nil
		s.pin = nil
	}
	scanErr := func() error {
		var c byte
		var ok bool
		for first := true; ; first = false {
			if failSeq.Load() != math.MaxInt64 {
				return nil // a worker failed: its error is reported
			}
			if c, ok = s.peek(); !ok {
				return fmt.Errorf("feature %d: %w", index, s.eofError())
			}
			if c == ']' && first {
				s.pos++
				return nil
			}
			start, end, err := s.skipValue()
			if err != nil {
				return fmt.Errorf("feature %d: %w", index, err)
			}
			if cur == nil {
				cur = &featureBatch{seq: len(batches), first: index}
				s.pin = dispatch
			}
			cur.ranges = append(cur.ranges, [2]int{start, end})
			index++
			if c, ok = s.peek(); !ok {
				return fmt.Errorf("after feature %d: %w", index-1, s.eofError())
			}
			s.pos++
			if c == ']' {
				return nil
			}
			if c != ',' {
				return fmt.Errorf("after feature %d: want ',' or ']', found %q", index-1, c)
			}
		}
	}()
	dispatch()
	close(jobs)
	wg.Wait()
	s.free = nil
	n := len(src.Records)
	for _, b := range batches {
		if b.err != nil {
			return b.err
		}
		n += len(b.recs)
	}
	if scanErr != nil {
		return fmt.Errorf("data: %s: %w", name, scanErr)
	}
	src.Records = append(make([]geo.Record, 0, n), src.Records...)
	for _, b := range batches {
		src.Records = append(src.Records, b.recs...)
	}
	return nil
}

// parseBatch parses the features of b, stopping at the first error.
func parseBatch(p *featureParser, b *featureBatch, name string, failSeq, verts *atomic.Int64, max int64) {
	if failSeq.Load() < int64(b.seq) {
		return // an earlier batch failed
	}
	b.recs = make([]geo.Record, 0, len(b.ranges))
	for k, r := range b.ranges {
		p.verts = 0
		rec, err := p.parseFeature(b.buf[r[0]:r[1]])
		if err == nil && verts.Add(int64(p.verts)) > max {
			err = fmt.Errorf("more than %d vertices, the limit, in the features up to here", max)
		}
		if err != nil {
			b.err = fmt.Errorf("data: %s: feature %d%s: %w", name, b.first+k, idLabel(rec.ID), err)
			for {
				f := failSeq.Load()
				if f <= int64(b.seq) || failSeq.CompareAndSwap(f, int64(b.seq)) {
					break
				}
			}
			break
		}
		b.recs = append(b.recs, rec)
	}
	p.b = nil
}

// streamChunk is the size of the stream's buffers.
var streamChunk = 1 << 20 // a variable for the tests

// stream is a buffered reader that finds the extent of JSON values without
// parsing them.
type stream struct {
	r        io.Reader
	buf      []byte // data in buf[pos:end]
	pos, end int
	eof      bool
	err      error // read error other than io.EOF
	// pin, when set, is called before the buffer's content moves: it hands
	// the buffer to a batch, after which shared is true and the next fill
	// moves to a fresh buffer.
	pin    func()
	shared bool
	free   chan []byte // buffers the workers are done with
	base   int64       // offset in the input of buf[0]
}

// offset is the byte offset in the input of the next unread byte.
func (s *stream) offset() int64 { return s.base + int64(s.pos) }

// fill reads more input, keeping buf[pos:end]. It reports whether it got any.
func (s *stream) fill() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.pin != nil {
		s.pin()
	}
	live := s.end - s.pos
	need := max(streamChunk, 2*live)
	if l, ok := s.r.(interface{ Len() int }); ok {
		// An input in memory (an upload) says what is left: no buffer larger
		// than that, and none at all to learn that it has ended.
		rest := l.Len()
		if rest == 0 {
			s.eof = true
			return false
		}
		need = min(need, live+rest)
	}
	switch {
	case s.shared:
		var nb []byte
		select {
		case nb = <-s.free:
		default:
		}
		if cap(nb) < need {
			nb = make([]byte, need)
		}
		nb = nb[:cap(nb)]
		copy(nb, s.buf[s.pos:s.end])
		s.buf, s.shared = nb, false
	case live >= len(s.buf)/2 && need > len(s.buf):
		nb := make([]byte, need)
		copy(nb, s.buf[s.pos:s.end])
		s.buf = nb
	default:
		copy(s.buf, s.buf[s.pos:s.end])
	}
	s.base += int64(s.pos)
	s.pos, s.end = 0, live
	for tries := 0; tries < 100; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// ensure fills until n bytes are buffered or the input ends.
func (s *stream) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

func (s *stream) eofError() error {
	if s.err != nil {
		return s.err
	}
	return io.ErrUnexpectedEOF
}

// peek skips white space and returns the next byte.
func (s *stream) peek() (byte, bool) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, true
			}
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// skipValue finds the end of the value at pos (after white space) by
// counting brackets outside strings, and returns its range in buf. The
// value is not checked: its parser does that.
func (s *stream) skipValue() (start, end int, err error) {
	if _, ok := s.peek(); !ok {
		return 0, 0, s.eofError()
	}
	depth, inStr := 0, false
	i := 0 // offset from s.pos: the value's start stays at s.pos across fills
	switch s.buf[s.pos] {
	case '{', '[':
	case '"':
		inStr, i = true, 1
	default:
		// A literal: up to the next delimiter or the end of the input.
		for {
			b := s.buf[s.pos:s.end]
			for ; i < len(b); i++ {
				switch b[i] {
				case ' ', '\t', '\n', '\r', ',', ']', '}', '[', '{', '"', ':':
					if i == 0 {
						return 0, 0, fmt.Errorf("want a value, found %q", b[i])
					}
					start, s.pos = s.pos, s.pos+i
					return start, s.pos, nil
				}
			}
			if !s.fill() {
				if s.err != nil {
					return 0, 0, s.err
				}
				start, s.pos = s.pos, s.end
				return start, s.pos, nil
			}
		}
	}
	for {
		b := s.buf[s.pos:s.end]
		for i < len(b) {
			if inStr {
				// The string ends at the first quote after an even run of
				// backslashes; the run is in b, which holds the value
				// from its start.
				j := bytes.IndexByte(b[i:], '"')
				if j < 0 {
					i = len(b)
					break
				}
				i += j + 1
				if escaped(b, i-1) {
					continue
				}
				inStr = false
				if depth == 0 {
					start, s.pos = s.pos, s.pos+i
					return start, s.pos, nil
				}
				continue
			}
			// The bulk (coordinates): eight bytes at a time, counting
			// brackets, while no quote comes and the depth cannot reach 0
			// within the word.
			for i+8 <= len(b) {
				v := binary.LittleEndian.Uint64(b[i:])
				open, closed, quote := structuralBytes(v)
				nc := bits.OnesCount64(closed)
				if quote != 0 || nc >= depth {
					break
				}
				depth += bits.OnesCount64(open) - nc
				i += 8
			}
			for i < len(b) && scanClass[b[i]] == 0 {
				i++
			}
			if i == len(b) {
				break
			}
			switch b[i] {
			case '"':
				inStr = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					start, s.pos = s.pos, s.pos+i+1
					return start, s.pos, nil
				}
			}
			i++
		}
		if !s.fill() {
			return 0, 0, s.eofError()
		}
	}
}

// escaped reports whether the quote at b[q] is escaped: preceded by an odd
// run of backslashes.
func escaped(b []byte, q int) bool {
	k := q
	for k > 0 && b[k-1] == '\\' {
		k--
	}
	return (q-k)%2 == 1
}

// structuralBytes flags (in the high bit of each byte) the bytes of v, the
// first in its low byte, that are '[' or '{' (open), ']' or '}' (closed)
// and '"' (quote): exactly, each byte tested on its own (no carry or borrow
// between bytes), since the flags are counted.
func structuralBytes(v uint64) (open, closed, quote uint64) {
	const lows, highs = 0x7F7F7F7F7F7F7F7F, 0x8080808080808080
	zero := func(x uint64) uint64 { return ^((x&lows + lows) | x | lows) }
	f := v | 0x20*(highs>>7) // '[' ']' fold onto '{' '}' by their 0x20 bit
	return zero(f ^ '{'*(highs>>7)), zero(f ^ '}'*(highs>>7)), zero(v ^ '"'*(highs>>7))
}

// scanClass marks the bytes skipValue stops at outside strings.
var scanClass = [256]byte{'"': 1, '{': 1, '[': 1, '}': 1, ']': 1}

// value returns the next value's bytes; they alias the buffer until the
// next read.
func (s *stream) value() ([]byte, error) {
	start, end, err := s.skipValue()
	if err != nil {
		return nil, err
	}
	return s.buf[start:end], nil
}

// plainValue turns json.Number into int64 or float64, recursively.
func plainValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = plainValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = plainValue(x)
		}
	}
	return v
}
