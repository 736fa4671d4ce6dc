package data_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/data"
)

func ExampleWriteKML() {
	feats := []data.OutFeature{{
		Geom:  orb.Point{99.0869, 23.8864},
		Props: map[string]any{"名称": "临沧", "级别": int64(1)},
	}}
	if err := data.WriteKML(os.Stdout, "sites", feats); err != nil {
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

func ExampleReadKML() {
	doc := `<kml><Document><Placemark id="s1"><name>站点</name>
	<Point><coordinates>99.0869,23.8864,0</coordinates></Point></Placemark></Document></kml>`
	src, err := data.ReadKML(strings.NewReader(doc), "sites.kml")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := src.Records[0]
	fmt.Println(src.CRS, r.ID, r.Props["name"], r.Geom)
	// Output:
	// EPSG:4490 (CGCS2000) s1 站点 [99.0869 23.8864]
}
