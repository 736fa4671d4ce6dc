package dxf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// A tag is one group code and its value line (trailing CR and spaces cut).
// Value bytes live in the reader's arena until the next entity starts.
type tag struct {
	code int
	val  []byte
}

// tagReader reads DXF group-code/value line pairs.
type tagReader struct {
	br    *bufio.Reader
	line  int // line number of the last value read (1-based)
	bytes int64
	max   int64
	arena []byte
	// pending holds a tag read ahead (unread).
	pending *tag
	pend    tag
}

var (
	errBinaryDXF = errors.New("binary DXF is not supported: save the drawing as ASCII DXF")
	errDWG       = errors.New("DWG is not supported: save the drawing as ASCII DXF")
)

func newTagReader(r io.Reader, max int64) (*tagReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(22)
	switch {
	case bytes.HasPrefix(head, []byte("AutoCAD Binary DXF")):
		return nil, errBinaryDXF
	case len(head) >= 6 && bytes.HasPrefix(head, []byte("AC10")) && isDigits(head[4:6]) && bytes.IndexByte(head, 0) >= 0 || bytes.HasPrefix(head, []byte("AC1.")):
		return nil, errDWG
	}
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	// Old Macintosh files end lines with a lone CR.
	if h, _ := br.Peek(4096); bytes.IndexByte(h, '\r') >= 0 && bytes.IndexByte(h, '\n') < 0 {
		br = bufio.NewReaderSize(crToLF{br}, 64<<10)
	}
	return &tagReader{br: br, max: max}, nil
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// readLine returns the next line without its end (LF, CRLF or a lone CR is
// not a line end in DXF), valid until the next call.
func (t *tagReader) readLine() ([]byte, error) {
	b, err := t.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("line %d: longer than %d bytes", t.line+1, t.br.Size())
	}
	if err == io.EOF && len(b) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	t.bytes += int64(len(b))
	if t.max > 0 && t.bytes > t.max {
		return nil, fmt.Errorf("larger than %d bytes", t.max)
	}
	t.line++
	return bytes.TrimRight(b, "\r\n"), nil
}

// next returns the next tag; io.EOF at a clean end of input.
func (t *tagReader) next() (tag, error) {
	if t.pending != nil {
		p := *t.pending
		t.pending = nil
		return p, nil
	}
	cl, err := t.readLine()
	if err != nil {
		return tag{}, err
	}
	cs := bytes.TrimSpace(cl)
	if len(cs) == 0 && t.atEOF() {
		return tag{}, io.EOF
	}
	code, err := strconv.Atoi(string(cs))
	if err != nil || code < 0 || code > 1071 {
		if bytes.IndexByte(cl, 0) >= 0 {
			return tag{}, errBinaryDXF
		}
		return tag{}, fmt.Errorf("line %d: group code %q is not a number in 0–1071", t.line, truncate(cs))
	}
	v, err := t.readLine()
	if err == io.EOF {
		return tag{}, fmt.Errorf("line %d: group code %d has no value line", t.line, code)
	}
	if err != nil {
		return tag{}, err
	}
	if code < 10 || code == 100 || code == 102 || (code >= 300 && code < 370) || code >= 999 {
		v = bytes.TrimRight(v, " ") // text keeps leading spaces
	} else {
		v = bytes.TrimSpace(v)
	}
	start := len(t.arena)
	t.arena = append(t.arena, v...)
	return tag{code: code, val: t.arena[start:len(t.arena):len(t.arena)]}, nil
}

func (t *tagReader) atEOF() bool {
	_, err := t.br.Peek(1)
	return err != nil
}

// unread pushes tg back so that next returns it again.
func (t *tagReader) unread(tg tag) {
	t.pend = tg
	t.pending = &t.pend
}

func truncate(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}

// float parses a numeric tag value.
func (tg tag) float() (float64, error) {
	f, err := strconv.ParseFloat(string(tg.val), 64)
	if err != nil {
		return 0, fmt.Errorf("group code %d: %q is not a number", tg.code, truncate(tg.val))
	}
	return f, nil
}

// int parses an integer tag value (some writers put "1.0" or spaces).
func (tg tag) int() (int, error) {
	if n, err := strconv.Atoi(string(tg.val)); err == nil {
		return n, nil
	}
	f, err := tg.float()
	if err != nil || f != f || f > 1<<31 || f < -(1<<31) {
		return 0, fmt.Errorf("group code %d: %q is not an integer", tg.code, truncate(tg.val))
	}
	return int(f), nil
}

// reset forgets the values of the tags read so far (keeping a pending one),
// so that the arena does not grow with the file.
func (t *tagReader) reset() {
	if t.pending != nil {
		v := append(t.arena[:0:0], t.pending.val...)
		t.arena = append(t.arena[:0], v...)
		t.pend.val = t.arena[:len(v):len(v)]
		return
	}
	t.arena = t.arena[:0]
}

// crToLF turns lone-CR line ends into LF.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
