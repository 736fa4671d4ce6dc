package postgis

import (
	"encoding/binary"
	"fmt"
)

// checkWKB walks an (E)WKB value and checks that every count it declares
// fits in the bytes that follow, before go-geom allocates by those counts:
// a corrupt value gives an error, never a huge allocation.
func checkWKB(b []byte) error {
	end, err := walkWKB(b, 0, 0)
	if err != nil {
		return fmt.Errorf("bad EWKB: %w", err)
	}
	if end != len(b) {
		return fmt.Errorf("bad EWKB: %d bytes after the geometry", len(b)-end)
	}
	return nil
}

func walkWKB(b []byte, off, depth int) (int, error) {
	if depth > 32 {
		return 0, fmt.Errorf("nested more than 32 deep")
	}
	if len(b)-off < 5 {
		return 0, fmt.Errorf("truncated")
	}
	var bo binary.ByteOrder
	switch b[off] {
	case 0:
		bo = binary.BigEndian
	case 1:
		bo = binary.LittleEndian
	default:
		return 0, fmt.Errorf("byte order %d", b[off])
	}
	t := bo.Uint32(b[off+1:])
	off += 5
	dims := 2
	if t&0x80000000 != 0 {
		dims++
	}
	if t&0x40000000 != 0 {
		dims++
	}
	if t&0x20000000 != 0 {
		off += 4
	}
	base := t & 0x0fffffff
	switch base / 1000 {
	case 1, 2:
		dims++
	case 3:
		dims += 2
	}
	base %= 1000
	count := func() (int, error) {
		if len(b)-off < 4 {
			return 0, fmt.Errorf("truncated")
		}
		n := int(bo.Uint32(b[off:]))
		off += 4
		return n, nil
	}
	points := func() error {
		n, err := count()
		if err != nil {
			return err
		}
		if n > (len(b)-off)/(8*dims) {
			return fmt.Errorf("%d points declared, %d bytes left", n, len(b)-off)
		}
		off += n * 8 * dims
		return nil
	}
	switch base {
	case 1:
		if len(b)-off < 8*dims {
			return 0, fmt.Errorf("truncated point")
		}
		return off + 8*dims, nil
	case 2:
		return off, points()
	case 3:
		n, err := count()
		if err != nil {
			return 0, err
		}
		if n > (len(b)-off)/4 {
			return 0, fmt.Errorf("%d rings declared, %d bytes left", n, len(b)-off)
		}
		for i := 0; i < n; i++ {
			if err := points(); err != nil {
				return 0, err
			}
		}
		return off, nil
	case 4, 5, 6, 7:
		n, err := count()
		if err != nil {
			return 0, err
		}
		if n > (len(b)-off)/5 {
			return 0, fmt.Errorf("%d parts declared, %d bytes left", n, len(b)-off)
		}
		for i := 0; i < n; i++ {
			if off, err = walkWKB(b, off, depth+1); err != nil {
				return 0, err
			}
		}
		return off, nil
	}
	return 0, fmt.Errorf("geometry type %d", t)
}
