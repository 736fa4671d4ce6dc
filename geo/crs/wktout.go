package crs

import (
	"fmt"
	"strconv"
)

const (
	wktGeogCGCS2000 = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	wktGeogWGS84    = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
)

// WKT returns c as the ESRI-flavoured WKT that ArcGIS writes in a .prj
// file. Web Mercator and GCJ-02 have no .prj here: they are an error.
func (c CRS) WKT() (string, error) {
	switch c.Kind {
	case LonLat:
		if c.EPSG == 4490 {
			return wktGeogCGCS2000, nil
		}
		return wktGeogWGS84, nil
	case GaussKruger:
		cm := 3 * c.Zone
		name := fmt.Sprintf("CGCS2000_3_Degree_GK_CM_%dE", cm)
		if c.ZoneWidth == 3 && c.Prefixed {
			name = fmt.Sprintf("CGCS2000_3_Degree_GK_Zone_%d", c.Zone)
		}
		if c.ZoneWidth == 6 {
			cm = 6*c.Zone - 3
			name = fmt.Sprintf("CGCS2000_GK_CM_%dE", cm)
			if c.Prefixed {
				name = fmt.Sprintf("CGCS2000_GK_Zone_%d", c.Zone)
			}
		}
		fe := 500000.0
		if c.Prefixed {
			fe += float64(c.Zone) * 1e6
		}
		return `PROJCS["` + name + `",` + wktGeogCGCS2000 + `,PROJECTION["Gauss_Kruger"],` +
			`PARAMETER["False_Easting",` + strconv.FormatFloat(fe, 'f', 1, 64) + `],PARAMETER["False_Northing",0.0],` +
			`PARAMETER["Central_Meridian",` + strconv.Itoa(cm) + `.0],PARAMETER["Scale_Factor",1.0],` +
			`PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`, nil
	}
	return "", fmt.Errorf("%w: no .prj for %s", ErrUnknown, c)
}
