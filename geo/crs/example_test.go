package crs_test

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/geo/crs"
)

func ExampleParse() {
	for _, s := range []string{"EPSG:4521", "urn:ogc:def:crs:OGC:1.3:CRS84", "gcj02", "EPSG:2383"} {
		c, err := crs.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(c)
	}
	// Output:
	// EPSG:4521 (CGCS2000 / 3-degree Gauss-Kruger zone 33)
	// OGC:CRS84 (WGS 84)
	// GCJ-02
	// crs: unknown or unsupported CRS: EPSG:2383 in "EPSG:2383"
}

func ExampleGK() {
	c, _ := crs.GK(3, 33, false)
	fmt.Println(c)
	// Output: EPSG:4542 (CGCS2000 / 3-degree Gauss-Kruger zone 33)
}

func ExampleCRS_ToLonLat() {
	c, _ := crs.Parse("EPSG:4521") // 3° zone 33, easting prefixed
	lon, lat, err := c.ToLonLat(33500000, 2650000)
	fmt.Printf("%.6f %.6f %v\n", lon, lat, err)
	x, y, err := c.FromLonLat(lon, lat)
	fmt.Printf("%.3f %.3f %v\n", x, y, err)
	// Output:
	// 99.000000 23.952250 <nil>
	// 33500000.000 2650000.000 <nil>
}

func ExampleFromWKT() {
	prj := `PROJCS["CGCS2000_3_Degree_GK_CM_99E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",` +
		`DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],` +
		`UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],` +
		`PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",99.0],PARAMETER["Scale_Factor",1.0],` +
		`PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	c, err := crs.FromWKT(prj)
	fmt.Println(c, err)
	// Output: EPSG:4542 (CGCS2000 / 3-degree Gauss-Kruger zone 33) <nil>
}

func ExampleDetect() {
	b := orb.Bound{Min: orb.Point{33452000, 2640000}, Max: orb.Point{33461000, 2652000}}
	c, ok := crs.Detect(b)
	fmt.Println(c, ok)
	_, ok = crs.Detect(orb.Bound{Min: orb.Point{452000, 2640000}, Max: orb.Point{461000, 2652000}})
	fmt.Println(ok) // no zone prefix: the zone is unknown
	// Output:
	// EPSG:4521 (CGCS2000 / 3-degree Gauss-Kruger zone 33) true
	// false
}
