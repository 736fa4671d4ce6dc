package server

import (
	"context"
	"sync/atomic"
	"testing"
)

// A catalog's Close runs once, when a reload has replaced it and the last
// request holding it is done, or at the server's Close.
func TestCatalogCloseWhenUnused(t *testing.T) {
	var closed [3]atomic.Int32
	n := 0
	s := New(Config{Load: func(ctx context.Context) (*Catalog, error) {
		i := n
		n++
		return &Catalog{Rules: nil, Close: func() { closed[i].Add(1) }}, nil
	}})
	ctx := context.Background()
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	held := s.snapshot() // a request in flight on catalog 0
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if closed[0].Load() != 0 {
		t.Fatal("catalog 0 closed while a request holds it")
	}
	if held.hold() {
		t.Error("a retired catalog can be held anew")
	}
	held.release()
	if closed[0].Load() != 1 {
		t.Fatalf("catalog 0 closed %d times after its last request, want 1", closed[0].Load())
	}
	if c := s.snapshot(); c == held || c == nil {
		t.Fatal("snapshot did not give the new catalog")
	} else {
		c.release()
	}
	if err := s.Reload(ctx); err != nil { // catalog 1, unused: closed at once
		t.Fatal(err)
	}
	if closed[1].Load() != 1 {
		t.Errorf("catalog 1 closed %d times on reload, want 1", closed[1].Load())
	}
	s.Close()
	if closed[2].Load() != 1 || closed[0].Load() != 1 {
		t.Errorf("at Close: closed %d, %d, %d", closed[0].Load(), closed[1].Load(), closed[2].Load())
	}
}

// A loader that gives the same catalog (with a Close) twice is refused: its
// pools may be closed already.
func TestCatalogWithCloseNotReused(t *testing.T) {
	c := &Catalog{Close: func() {}}
	s := New(Config{Load: func(context.Context) (*Catalog, error) { return c, nil }})
	defer s.Close()
	if err := s.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(context.Background()); err == nil || s.Catalog() != c {
		t.Errorf("second reload with the same catalog: %v", err)
	}
}
