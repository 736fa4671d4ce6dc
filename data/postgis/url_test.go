package postgis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/redline-gis/redline/internal/geotest"
)

func TestParseURL(t *testing.T) {
	s, err := ParseURL("postgresql://bob:s3cret@db.example:5433/gis?sslmode=require&table=prov.redline&id=bsm&zone=gnfq&mode=pushdown", true)
	if err != nil {
		t.Fatal(err)
	}
	if s.Schema != "prov" || s.Table != "redline" || s.ID != "bsm" || s.Zone != "gnfq" || s.Mode != "pushdown" {
		t.Errorf("parsed %+v", s)
	}
	if strings.Contains(s.String(), "s3cret") || !strings.Contains(s.String(), "bob@db.example:5433/gis") {
		t.Errorf("String() = %s", s)
	}
	if strings.Contains(s.Conn, "table=") || !strings.Contains(s.Conn, "sslmode=require") || !strings.Contains(s.Conn, "s3cret") {
		t.Errorf("Conn = %s", s.Conn)
	}
	s, err = ParseURL("postgresql:///postgres?host=/tmp/x&user=postgres&table=t", true)
	if err != nil || s.Schema != "" || s.Table != "t" {
		t.Fatalf("%+v %v", s, err)
	}
	if s, err = ParseURL("postgresql://u@h/db?password=pw&table=t", true); err != nil || strings.Contains(s.String(), "pw&") {
		t.Errorf("password parameter shown: %v %v", s, err)
	}
	for _, bad := range []string{
		`postgresql://u:pw@h/db?table=a;drop table b`,
		`postgresql://u:pw@h/db?table="a"`,
		`postgresql://u:pw@h/db?table=a'b`,
		`postgresql://u:pw@h/db?table=a.b.c`,
		`postgresql://u:pw@h/db?table=a b`,
		`postgresql://u:pw@h/db?table=t&zone=x;y`,
		`postgresql://u:pw@h/db?table=t&mode=fast`,
		`postgresql://u:pw@h/db?table=t&table=u`,
		`postgresql://u:pw@h/db`,
		"postgresql://u:pw@h/db?table=t\x00",
		`postgresql://u:pw@[::1/db?table=t`,
	} {
		_, err := ParseURL(bad, true)
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("%s: err = %v, want ErrBadURL", bad, err)
			continue
		}
		if strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}

// A wrong password is a clear error that does not show the password (the
// scratch cluster asks every role but its owner for one).
func TestWrongPassword(t *testing.T) {
	pool, _, url := testDB(t)
	ctx := context.Background()
	role := "redline_pw_" + randomHex(3)
	if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD 'right-one'", role)); err != nil {
		t.Fatal(err)
	}
	defer pool.Exec(ctx, "DROP ROLE "+role)
	src, err := ParseURL(strings.Replace(url, "user=postgres", "user="+role+"&password=Wr0ngSecret", 1)+"&table=t", true)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pgxpool.ParseConfig(src.Conn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = Describe(ctx, p, src)
	if err == nil {
		geotest.Unavailable(t, "the server accepted a wrong password (trust authentication): start the cluster with scripts/pg_scratch.sh, which asks every role but its owner for one")
	}
	if strings.Contains(err.Error(), "Wr0ngSecret") || !strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("err = %v", err)
	}
}
