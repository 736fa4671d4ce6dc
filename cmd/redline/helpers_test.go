package main

import "github.com/redline-gis/redline/geo"

func geoHasMakeValid() bool { return geo.HasMakeValid }
