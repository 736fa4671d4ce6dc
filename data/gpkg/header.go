package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// header is the GeoPackage binary header of one geometry blob.
type header struct {
	version byte
	empty   bool
	srsID   int32
	wkb     []byte // the WKB after the header and envelope
}

var errNotGPKGBlob = errors.New("not a GeoPackage geometry blob (no \"GP\" magic)")

// parseHeader splits a geometry blob into its header and WKB (spec § 2.1.3):
// magic "GP", version, flags (bit 0 byte order of header fields, bits 1–3
// envelope kind 0–4, bit 4 empty, bit 5 extended type), srs_id, envelope.
func parseHeader(b []byte) (header, error) {
	if len(b) < 8 {
		return header{}, fmt.Errorf("geometry blob of %d bytes, shorter than the 8-byte header", len(b))
	}
	if b[0] != 'G' || b[1] != 'P' {
		return header{}, errNotGPKGBlob
	}
	h := header{version: b[2]}
	flags := b[3]
	if flags&0x20 != 0 {
		return header{}, errors.New("extended GeoPackage geometry (non-standard type) is not supported")
	}
	var bo binary.ByteOrder = binary.BigEndian
	if flags&1 != 0 {
		bo = binary.LittleEndian
	}
	h.empty = flags&0x10 != 0
	h.srsID = int32(bo.Uint32(b[4:8]))
	env := (flags >> 1) & 7
	var n int
	switch env {
	case 0:
	case 1:
		n = 32
	case 2, 3:
		n = 48
	case 4:
		n = 64
	default:
		return header{}, fmt.Errorf("envelope kind %d in the geometry header (want 0–4)", env)
	}
	if len(b) < 8+n {
		return header{}, fmt.Errorf("geometry blob of %d bytes, shorter than its header and %d-byte envelope", len(b), n)
	}
	for i := 0; i < n; i += 8 {
		if v := math.Float64frombits(bo.Uint64(b[8+i:])); math.IsInf(v, 0) {
			return header{}, errors.New("infinite value in the geometry envelope")
		}
	}
	h.wkb = b[8+n:]
	return h, nil
}

// putHeader appends a little-endian header with an XY envelope (kind 1) or,
// for empty geometries, none with the empty flag.
func putHeader(dst []byte, srsID int32, env [4]float64, empty bool) []byte {
	flags := byte(1) // little endian
	if empty {
		flags |= 0x10
	} else {
		flags |= 1 << 1
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(srsID))
	if !empty {
		for _, v := range env {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
	}
	return dst
}
