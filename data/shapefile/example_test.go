package shapefile_test

import (
	"bytes"
	"fmt"
	"log"
	"os"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/data/shapefile"
	"github.com/redline-gis/redline/geo"
)

func ExampleRead() {
	// A GeoTools sample: GBK text in the DBF, no .cpg, language driver 0.
	src, err := shapefile.Read(os.DirFS("testdata/geotools"), "chinese_poly.shp")
	if err != nil {
		log.Fatal(err)
	}
	r := src.Records[0]
	fmt.Println(src.Format, src.CRS, "from", src.CRSFrom)
	fmt.Println(src.Fields, r.Props["NAME"], r.Props["ADCODE99"], r.Geom.GeoJSONType())
	fmt.Println(src.Warnings[0])
	// Output:
	// ESRI Shapefile EPSG:4326 (WGS 84) from .prj
	// [ADCODE93 ADCODE99 NAME] 黑龙江省 230000 Polygon
	// chinese_poly.dbf: no .cpg file and language driver 0x00; text detected as GB18030
}

func ExampleWriteZip() {
	feats := []geo.Record{{
		Geom:  orb.Polygon{{{99.1, 23.9}, {99.2, 23.9}, {99.2, 24.0}, {99.1, 23.9}}},
		Props: map[string]any{"名称": "临翔区红线", "功能分区名称": "核心区", "面积_m2": 1234.5},
	}}
	var zip bytes.Buffer
	if err := shapefile.WriteZip(&zip, "redline", nil, feats); err != nil {
		log.Fatal(err)
	}
	src, err := shapefile.ReadZip(bytes.NewReader(zip.Bytes()), int64(zip.Len()), "redline.zip")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(src.Fields) // names cut to 10 bytes
	fmt.Println(src.Records[0].Props["名称"], src.Records[0].Props["面积_m2"], src.CRS)
	// Output:
	// [功能分 名称 面积_m2]
	// 临翔区红线 1234.5 EPSG:4490 (CGCS2000)
}
