package kml_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"
	"github.com/redline-gis/redline/data/kml"
	"github.com/redline-gis/redline/geo"
)

func ExampleWrite() {
	feats := []geo.Record{{
		Geom:  orb.Point{99.0869, 23.8864},
		Props: map[string]any{"名称": "临沧", "级别": int64(1)},
	}}
	if err := kml.Write(os.Stdout, "sites", feats); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <kml xmlns="http://www.opengis.net/kml/2.2">
	//   <Document>
	//     <name>sites</name>
	//     <Placemark>
	//       <name>临沧</name>
	//       <ExtendedData>
	//         <Data name="级别">
	//           <value>1</value>
	//         </Data>
	//       </ExtendedData>
	//       <Point>
	//         <coordinates>99.0869,23.8864</coordinates>
	//       </Point>
	//     </Placemark>
	//   </Document>
	// </kml>
}

func ExampleRead() {
	doc := `<kml><Document><Placemark id="s1"><name>站点</name>
	<Point><coordinates>99.0869,23.8864,0</coordinates></Point></Placemark></Document></kml>`
	src, err := kml.Read(strings.NewReader(doc), "sites.kml")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := src.Records[0]
	fmt.Println(src.CRS, r.ID, r.Props["name"], r.Geom)
	// Output:
	// EPSG:4490 (CGCS2000) s1 站点 [99.0869 23.8864]
}
