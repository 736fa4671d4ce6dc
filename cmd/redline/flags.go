package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/report"
)

// readFlags are the flags every command that reads layers takes.
func readFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "crs", Usage: "CRS of the input when the file does not say or says wrong (EPSG:4490, EPSG:4521, gcj02, …)"},
		&cli.StringFlag{Name: "id-field", Usage: "property giving feature ids (default: the first of id, ID, 编号, BSM, name)"},
	}
}

func readOptions(c *cli.Context) data.ReadOptions {
	return data.ReadOptions{CRS: c.String("crs"), IDField: c.String("id-field")}
}

// parseDistanceM reads "500", "500m", "1km", "1.5 km".
func parseDistanceM(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "km"):
		mult, t = 1000, strings.TrimSuffix(t, "km")
	case strings.HasSuffix(t, "m"):
		t = strings.TrimSuffix(t, "m")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a distance (e.g. 500m, 1km)", s)
	}
	return v * mult, nil
}

func parseLang(s string) (report.Lang, error) {
	switch strings.ToLower(s) {
	case "zh", "":
		return report.ZH, nil
	case "en":
		return report.EN, nil
	}
	return "", usageErr("--lang %q: want zh or en", s)
}
