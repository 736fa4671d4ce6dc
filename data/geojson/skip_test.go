package geojson

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"testing"
	"testing/iotest"
)

// refSkip is skipValue byte by byte on a whole input (the algorithm it had
// before it counted brackets eight bytes at a time): the end of the value
// after white space, by bracket counting outside strings; ok is false when
// the input ends first or no value starts.
func refSkip(b []byte) (start, end int, ok bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	if i == len(b) {
		return 0, 0, false
	}
	start = i
	depth, inStr, esc := 0, false, false
	switch b[i] {
	case '{', '[':
	case '"':
		inStr = true
		i++
	default:
		for j := i; j < len(b); j++ {
			switch b[j] {
			case ' ', '\t', '\n', '\r', ',', ']', '}', '[', '{', '"', ':':
				return start, j, j > i
			}
		}
		return start, len(b), true
	}
	for ; i < len(b); i++ {
		c := b[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if depth == 0 {
					return start, i + 1, true
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return start, i + 1, true
			}
		}
	}
	return 0, 0, false
}

// checkSkip compares skipValue, over a stream of small buffers filled by
// short reads, with refSkip on the same bytes.
func checkSkip(t *testing.T, in []byte, chunk int, oneByte bool) {
	t.Helper()
	defer func(n int) { streamChunk = n }(streamChunk)
	streamChunk = chunk
	var r io.Reader = bytes.NewReader(in)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	s := &stream{r: r, buf: make([]byte, chunk)}
	start, end, err := s.skipValue()
	ws, we, ok := refSkip(in)
	if ok != (err == nil) {
		t.Fatalf("%q (chunk %d): skipValue error %v, reference ok %v", in, chunk, err, ok)
	}
	if !ok {
		return
	}
	got := s.buf[start:end]
	if want := in[ws:we]; !bytes.Equal(got, want) {
		t.Fatalf("%q (chunk %d): skipValue found %q, want %q", in, chunk, got, want)
	}
	if off := s.offset(); off != int64(we) {
		t.Fatalf("%q (chunk %d): stream at %d after the value, want %d", in, chunk, off, we)
	}
}

// TestSkipValueMatchesReference: on random text dense in brackets, quotes
// and backslashes (runs of them, strings across buffer ends, nesting that
// returns to 0 inside an eight-byte word), truncated or not, and on
// generated GeoJSON, skipValue ends each value where the byte-by-byte
// reference does.
func TestSkipValueMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	alphabet := []string{"[", "]", "{", "}", `"`, `\`, `\\`, `\"`, ",", "1.25", " ", "\n", ":", "a", "[[[", "]]]", "12345678", `"x"`}
	for n := 0; n < 30000; n++ {
		var b bytes.Buffer
		if n%2 == 0 {
			b.WriteString("{[["[:1+rng.Intn(3)])
		}
		for k := rng.Intn(40); k > 0; k-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		checkSkip(t, b.Bytes(), 1+rng.Intn(40), rng.Intn(4) == 0)
	}
	for n := 0; n < 300; n++ {
		doc := []byte(genGeoJSON(rand.New(rand.NewSource(int64(n)))))
		if n%3 == 0 {
			doc = doc[:rng.Intn(len(doc))] // truncated
		}
		checkSkip(t, doc, 1+rng.Intn(300), n%5 == 0)
	}
}

// FuzzSkipValue is TestSkipValueMatchesReference on the fuzzer's bytes.
//
//	go test ./data/geojson -run '^$' -fuzz FuzzSkipValue -fuzztime 30s
func FuzzSkipValue(f *testing.F) {
	f.Add([]byte(`{"a":"b\"]}","c":[[1,2],[3,4]]}`), uint8(7))
	f.Add([]byte(`[[[[1.2345678,2.3456789]]],"\\\\"]`), uint8(3))
	f.Add([]byte(`"\\"`), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		checkSkip(t, in, 1+int(chunk)%64, chunk&1 == 1)
	})
}

// BenchmarkSkipValue times finding the ends of features shaped like the
// anchors' constraints (300 vertices, 7 decimals), the reader goroutine's
// work before the parallel parse.
func BenchmarkSkipValue(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var doc bytes.Buffer
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&doc, `{"type":"Feature","properties":{"id":"C%06d","kind":"water"},"geometry":{"type":"Polygon","coordinates":[[`, i)
		for k := 0; k < 300; k++ {
			if k > 0 {
				doc.WriteByte(',')
			}
			fmt.Fprintf(&doc, "[%.7f,%.7f]", 99+2*rng.Float64(), 23+2*rng.Float64())
		}
		doc.WriteString("]]}},\n")
	}
	in := doc.Bytes()
	b.SetBytes(int64(len(in)))
	buf := make([]byte, len(in))
	for b.Loop() {
		s := &stream{r: bytes.NewReader(in), buf: buf}
		for n := 0; n < 200; n++ {
			if _, _, err := s.skipValue(); err != nil {
				b.Fatal(err)
			}
			if c, ok := s.peek(); !ok || c != ',' {
				b.Fatal("no comma")
			}
			s.pos++
		}
	}
}
