package jzd_test

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/data/jzd"
)

func ExampleRead() {
	txt := "[属性描述]\r\n坐标系=2000国家大地坐标系\r\n几度分带=3\r\n带号=33\r\n计量单位=米\r\n" +
		"[地块坐标]\r\n5,100.00,A-1,临翔区站点,面,,,,@\r\n" +
		"J1,1,2640000.000,33500000.000\r\nJ2,1,2640010.000,33500000.000\r\n" +
		"J3,1,2640010.000,33500010.000\r\nJ4,1,2640000.000,33500010.000\r\n" +
		"J1,1,2640000.000,33500000.000\r\n"
	src, err := jzd.Read(strings.NewReader(txt), "site.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := src.Records[0]
	fmt.Println(src.CRS, "from", src.CRSFrom)
	fmt.Println(r.ID, r.Props["地块名称"], r.Props["地块面积"])
	// x = easting (with the zone prefix), y = northing; the outer ring
	// turned counter-clockwise
	for _, p := range r.Geom.(orb.Polygon)[0] {
		fmt.Printf("%.3f,%.3f ", p[0], p[1])
	}
	fmt.Println()
	// Output:
	// EPSG:4521 (CGCS2000 / 3-degree Gauss-Kruger zone 33) from TXT header
	// A-1 临翔区站点 100
	// 33500000.000,2640000.000 33500010.000,2640000.000 33500010.000,2640010.000 33500000.000,2640010.000 33500000.000,2640000.000
}
