//go:build ignore

// This program writes testdata/crs_cs2cs.csv, the PROJ reference table for
// the Gauss–Krüger and Web Mercator tests. It needs cs2cs (apt-get install
// proj-bin) and is run by hand from the geo/crs directory:
//
//	go run cs2cs_gen.go
//
// Points are random with a fixed seed, so the table only changes with PROJ.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"strings"
)

type target struct {
	epsg      int
	cm, halfW float64 // central meridian and the longitude spread, degrees
	n         int     // number of points
}

func main() {
	var targets []target
	for z := 25; z <= 45; z++ { // 3° zones, prefixed (4513–4533) and not (4534–4554)
		targets = append(targets, target{4513 + z - 25, float64(3 * z), 2, 18}, target{4534 + z - 25, float64(3 * z), 2, 18})
	}
	for z := 13; z <= 23; z++ { // 6° zones, prefixed (4491–4501) and not (4502–4512)
		targets = append(targets, target{4491 + z - 13, float64(6*z - 3), 3.5, 18}, target{4502 + z - 13, float64(6*z - 3), 3.5, 18})
	}
	targets = append(targets, target{3857, 0, 0, 150})

	ver, _ := exec.Command("sh", "-c", "cs2cs 2>&1 | head -1").Output()
	rng := rand.New(rand.NewSource(1))
	var out bytes.Buffer
	fmt.Fprintf(&out, "# Reference coordinates from PROJ cs2cs %s", ver)
	fmt.Fprintf(&out, "# written by cs2cs_gen.go: cs2cs -f %%.6f EPSG:4490 EPSG:<epsg> (EPSG:4326 for 3857);\n")
	fmt.Fprintf(&out, "# lon, lat in degrees (exact inputs), x = easting, y = northing in metres\n")
	fmt.Fprintf(&out, "epsg,lon,lat,x,y\n")
	for _, t := range targets {
		src := "EPSG:4490"
		var pts [][2]float64
		for i := 0; i < t.n; i++ {
			var lon, lat float64
			if t.epsg == 3857 {
				if i%3 == 0 { // anywhere on the map
					lon, lat = -180+360*rng.Float64(), -85+170*rng.Float64()
				} else { // China
					lon, lat = 73+63*rng.Float64(), 3+51*rng.Float64()
				}
				src = "EPSG:4326"
			} else {
				lon, lat = t.cm-t.halfW+2*t.halfW*rng.Float64(), 3+51*rng.Float64()
			}
			pts = append(pts, [2]float64{math.Round(lon*1e9) / 1e9, math.Round(lat*1e9) / 1e9})
		}
		var in strings.Builder
		for _, p := range pts { // EPSG:4490 and 4326 take latitude first
			fmt.Fprintf(&in, "%.9f %.9f\n", p[1], p[0])
		}
		cmd := exec.Command("cs2cs", "-f", "%.6f", src, fmt.Sprintf("EPSG:%d", t.epsg))
		cmd.Stdin = strings.NewReader(in.String())
		res, err := cmd.Output()
		if err != nil {
			log.Fatalf("cs2cs EPSG:%d: %v", t.epsg, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(res))
		for i := 0; sc.Scan(); i++ {
			f := strings.Fields(sc.Text())
			if len(f) < 2 || i >= len(pts) {
				log.Fatalf("cs2cs EPSG:%d: line %q", t.epsg, sc.Text())
			}
			x, y := f[0], f[1]
			if t.epsg != 3857 { // the GK systems list northing (X) before easting (Y)
				x, y = f[1], f[0]
			}
			fmt.Fprintf(&out, "%d,%.9f,%.9f,%s,%s\n", t.epsg, pts[i][0], pts[i][1], x, y)
		}
	}
	if err := os.WriteFile("testdata/crs_cs2cs.csv", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
