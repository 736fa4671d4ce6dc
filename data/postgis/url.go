package postgis

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
)

// ErrBadURL reports a database URL that redline cannot use.
var ErrBadURL = errors.New("postgis: bad database URL")

// Source is a layer (or results) table named by a database URL:
// postgresql://user@host:port/db?table=schema.table&id=COL&zone=COL&name=COL&mode=load|pushdown.
// Every other query parameter is libpq's (sslmode, host=/socket/dir, …), and
// PG* environment variables and .pgpass apply as in libpq.
type Source struct {
	Conn   string // connection string for pgxpool without redline's parameters; may hold a password: never print it
	Schema string // "" = the first schema of the search path that has the table
	Table  string
	ID     string // column with feature ids ("" = the table's id column, if any)
	Zone   string // column with zones ("" = the kind's usual fields)
	Name   string // column with feature names
	Mode   string // "", "load" or "pushdown"
	shown  string // the URL without password, for messages
}

// IsURL reports whether s names a database rather than a file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgresql://") || strings.HasPrefix(s, "postgres://")
}

// ParseURL splits a database URL into the connection and redline's own
// parameters. The table name is required unless needTable is false.
func ParseURL(s string, needTable bool) (*Source, error) {
	if !IsURL(s) {
		return nil, fmt.Errorf("%w: want postgresql://…", ErrBadURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		// url's message quotes the whole URL, password included.
		return nil, fmt.Errorf("%w: %s cannot be parsed", ErrBadURL, redact(s))
	}
	src := &Source{}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: the query part cannot be parsed (a ';' or a bad %%-escape?)", ErrBadURL, shownURL(u))
	}
	for _, k := range []string{"table", "id", "zone", "name", "mode"} {
		if len(q[k]) > 1 {
			return nil, fmt.Errorf("%w: %s: %s= given twice", ErrBadURL, shownURL(u), k)
		}
	}
	src.ID, src.Zone, src.Name, src.Mode = q.Get("id"), q.Get("zone"), q.Get("name"), q.Get("mode")
	table := q.Get("table")
	u.RawQuery = dropParams(u.RawQuery, "table", "id", "zone", "name", "mode")
	src.Conn = u.String()
	src.shown = shownURL(u)
	if table != "" {
		src.shown += sep(src.shown) + "table=" + table
	}
	switch src.Mode {
	case "", "load", "pushdown":
	default:
		return nil, fmt.Errorf("%w: %s: mode=%q (want load or pushdown)", ErrBadURL, src.shown, src.Mode)
	}
	if table == "" {
		if needTable {
			return nil, fmt.Errorf("%w: %s: no table (add ?table=schema.table)", ErrBadURL, src.shown)
		}
	} else {
		schema, name, ok := strings.Cut(table, ".")
		if !ok {
			schema, name = "", table
		}
		if err := checkName(schema, name == table); err != nil {
			return nil, fmt.Errorf("%w: %s: table=%q: %v", ErrBadURL, src.shown, table, err)
		}
		if err := checkName(name, false); err != nil {
			return nil, fmt.Errorf("%w: %s: table=%q: %v", ErrBadURL, src.shown, table, err)
		}
		src.Schema, src.Table = schema, name
	}
	for _, c := range []struct{ k, v string }{{"id", src.ID}, {"zone", src.Zone}, {"name", src.Name}} {
		if err := checkName(c.v, true); err != nil {
			return nil, fmt.Errorf("%w: %s: %s=%q: %v", ErrBadURL, src.shown, c.k, c.v, err)
		}
	}
	return src, nil
}

// String returns the URL without its password, for messages and reports.
func (s *Source) String() string { return s.shown }

// QualifiedName is schema.table as given (schema may be empty).
func (s *Source) QualifiedName() string {
	if s.Schema == "" {
		return s.Table
	}
	return s.Schema + "." + s.Table
}

// WithTable returns a copy of s naming another table of the same database.
func (s *Source) WithTable(schema, table string) (*Source, error) {
	if err := checkName(schema, true); err != nil {
		return nil, fmt.Errorf("%w: schema %q: %v", ErrBadURL, schema, err)
	}
	if err := checkName(table, false); err != nil {
		return nil, fmt.Errorf("%w: table %q: %v", ErrBadURL, table, err)
	}
	c := *s
	c.Schema, c.Table = schema, table
	base, _, _ := strings.Cut(s.shown, "table=")
	c.shown = strings.TrimRight(base, "?&") + sep(strings.TrimRight(base, "?&")) + "table=" + c.QualifiedName()
	return &c, nil
}

// checkName accepts a plain SQL name: letters (any script), digits, _ and $,
// at most 63 bytes. Quotes, dots, semicolons, spaces and control characters
// are refused, so that a name can never be read as SQL even before it is
// quoted and checked against the catalog.
func checkName(s string, emptyOK bool) error {
	if s == "" {
		if emptyOK {
			return nil
		}
		return errors.New("empty name")
	}
	if len(s) > 63 {
		return fmt.Errorf("longer than PostgreSQL's 63 bytes")
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '$') {
			return fmt.Errorf("%q is not allowed in a name (letters, digits, _ and $ only)", r)
		}
	}
	return nil
}

func shownURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	c.RawQuery = dropParams(c.RawQuery, "password")
	return c.String()
}

// dropParams removes the named parameters from a raw query, leaving the
// others as they were written.
func dropParams(raw string, names ...string) string {
	var kept []string
	for _, p := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		drop := p == ""
		for _, n := range names {
			drop = drop || k == n
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

func sep(s string) string {
	if strings.Contains(s, "?") {
		return "&"
	}
	return "?"
}

// redact removes what looks like a password from a URL that did not parse.
func redact(s string) string {
	scheme, rest, _ := strings.Cut(s, "://")
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if colon := strings.Index(rest[:at], ":"); colon >= 0 {
			rest = rest[:colon] + ":xxxxx" + rest[at:]
		}
	}
	if i := strings.Index(rest, "password="); i >= 0 {
		j := strings.IndexAny(rest[i:], "&")
		if j < 0 {
			j = len(rest) - i
		}
		rest = rest[:i] + "password=xxxxx" + rest[i+j:]
	}
	return scheme + "://" + rest
}
