package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// A wktNode is KEYWORD[arg, …] in WKT. Each argument is a quoted string, a
// bare word or number, or a nested node.
type wktNode struct {
	kw   string
	args []wktArg
}

type wktArg struct {
	text   string // unquoted text, or the bare token
	quoted bool
	node   *wktNode
}

// name returns the first argument when it is a string ("" for a nil node).
func (n *wktNode) name() string { return n.arg(0) }

// arg returns argument i as text.
func (n *wktNode) arg(i int) string {
	if n == nil || i >= len(n.args) || n.args[i].node != nil {
		return ""
	}
	return n.args[i].text
}

// number returns argument i as a number.
func (n *wktNode) number(i int) (float64, bool) {
	if n == nil || i >= len(n.args) || n.args[i].node != nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(n.args[i].text), 64)
	return v, err == nil && finite(v)
}

// child returns the first direct child with one of the keywords.
func (n *wktNode) child(kws ...string) *wktNode {
	if n == nil {
		return nil
	}
	for _, a := range n.args {
		if a.node == nil {
			continue
		}
		for _, kw := range kws {
			if strings.EqualFold(a.node.kw, kw) {
				return a.node
			}
		}
	}
	return nil
}

// param returns the value of PARAMETER[name, value] among n's children,
// matching squashed upper-case names.
func (n *wktNode) param(name string) (float64, bool) {
	if n == nil {
		return 0, false
	}
	for _, a := range n.args {
		if a.node != nil && strings.EqualFold(a.node.kw, "PARAMETER") &&
			squash(strings.ToUpper(a.node.name())) == name {
			return a.node.number(1)
		}
	}
	return 0, false
}

// epsg returns the code of n's own AUTHORITY["EPSG", "…"] or ID["EPSG", …].
func (n *wktNode) epsg() (int, bool) {
	a := n.child("AUTHORITY", "ID")
	if a == nil || !strings.EqualFold(a.arg(0), "EPSG") {
		return 0, false
	}
	code := atoiOr(strings.TrimSpace(a.arg(1)), -1)
	return code, code > 0
}

// maxWKT bounds the WKT we parse: a .prj is well under a kilobyte.
const (
	maxWKTBytes = 1 << 20
	maxWKTDepth = 32
)

// parseWKT parses a WKT text into its root node.
func parseWKT(s string) (*wktNode, error) {
	if len(s) > maxWKTBytes {
		return nil, fmt.Errorf("%w: WKT of %d bytes (limit %d)", ErrUnknown, len(s), maxWKTBytes)
	}
	p := wktParser{s: strings.TrimPrefix(s, "\uFEFF")}
	n, err := p.node(0)
	if err == nil {
		p.skipSpace()
		if p.pos < len(p.s) && strings.Trim(p.s[p.pos:], "\x00\x1a") != "" {
			err = p.errf("text after the closing bracket")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnknown, err)
	}
	return n, nil
}

type wktParser struct {
	s   string
	pos int
}

func (p *wktParser) skipSpace() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *wktParser) errf(format string, a ...any) error {
	return fmt.Errorf("malformed WKT at byte %d: %s", p.pos, fmt.Sprintf(format, a...))
}

// word reads a keyword or bare token.
func (p *wktParser) word() string {
	start := p.pos
	for p.pos < len(p.s) && strings.IndexByte(",[]() \t\r\n\"", p.s[p.pos]) < 0 {
		p.pos++
	}
	return p.s[start:p.pos]
}

// node reads KEYWORD[args] at the current position.
func (p *wktParser) node(depth int) (*wktNode, error) {
	if depth > maxWKTDepth {
		return nil, p.errf("nested deeper than %d", maxWKTDepth)
	}
	p.skipSpace()
	kw := p.word()
	if kw == "" {
		return nil, p.errf("want a keyword")
	}
	p.skipSpace()
	if p.pos >= len(p.s) || (p.s[p.pos] != '[' && p.s[p.pos] != '(') {
		return nil, p.errf("want [ after %s", kw)
	}
	open := p.s[p.pos]
	p.pos++
	n := &wktNode{kw: kw}
	for {
		p.skipSpace()
		if p.pos >= len(p.s) {
			return nil, p.errf("unterminated %s", kw)
		}
		switch c := p.s[p.pos]; {
		case c == ']' || c == ')':
			if (open == '[') != (c == ']') {
				return nil, p.errf("mismatched %c", c)
			}
			p.pos++
			return n, nil
		case c == ',' && len(n.args) > 0:
			p.pos++
			p.skipSpace()
		case len(n.args) > 0:
			return nil, p.errf("want , or ] in %s", kw)
		}
		a, err := p.arg(depth)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, a)
	}
}

// arg reads one argument.
func (p *wktParser) arg(depth int) (wktArg, error) {
	if p.pos < len(p.s) && p.s[p.pos] == '"' {
		var b strings.Builder
		p.pos++
		for p.pos < len(p.s) {
			c := p.s[p.pos]
			p.pos++
			if c != '"' {
				b.WriteByte(c)
				continue
			}
			if p.pos < len(p.s) && p.s[p.pos] == '"' { // "" is an escaped quote
				b.WriteByte('"')
				p.pos++
				continue
			}
			return wktArg{text: b.String(), quoted: true}, nil
		}
		return wktArg{}, p.errf("unterminated string")
	}
	start := p.pos
	w := p.word()
	p.skipSpace()
	if p.pos < len(p.s) && (p.s[p.pos] == '[' || p.s[p.pos] == '(') {
		p.pos = start
		n, err := p.node(depth + 1)
		if err != nil {
			return wktArg{}, err
		}
		return wktArg{node: n}, nil
	}
	if w == "" {
		return wktArg{}, p.errf("empty value")
	}
	return wktArg{text: w}, nil
}
