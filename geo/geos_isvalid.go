//go:build geos

package geo

/*
#cgo LDFLAGS: -lgeos_c
#include <stdlib.h>
#include <geos_c.h>

static int redline_geos_is_valid(const unsigned char *wkb, size_t n) {
	GEOSContextHandle_t h = GEOS_init_r();
	GEOSWKBReader *r = GEOSWKBReader_create_r(h);
	GEOSGeometry *g = GEOSWKBReader_read_r(h, r, wkb, n);
	int v = 2;
	if (g != NULL) {
		v = GEOSisValid_r(h, g);
		GEOSGeom_destroy_r(h, g);
	}
	GEOSWKBReader_destroy_r(h, r);
	GEOS_finish_r(h);
	return v;
}
*/
import "C"

import (
	"fmt"

	"github.com/paulmach/orb"
)

// geosIsValid asks GEOS's GEOSisValid about g: the second opinion of the
// validity differential test (simplefeatures' geos package has no IsValid).
func geosIsValid(g orb.Geometry) (bool, error) {
	e, err := toEngine(g)
	if err != nil {
		return false, err
	}
	wkb := e.AsBinary()
	if len(wkb) == 0 {
		return false, fmt.Errorf("geo: empty WKB")
	}
	p := C.CBytes(wkb)
	defer C.free(p)
	switch v := C.redline_geos_is_valid((*C.uchar)(p), C.size_t(len(wkb))); v {
	case 0, 1:
		return v == 1, nil
	default:
		return false, fmt.Errorf("geo: GEOS could not read or validate the geometry")
	}
}
