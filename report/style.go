package report

// FeatureStyle is the fill and stroke colour of a constraint feature of
// kind and zone on a report map (the service's web page uses the same).
func FeatureStyle(kind, zone string) (fill, stroke string) {
	s := styleOf(kind, zone)
	return s.fill, s.stroke
}

// VerdictColor is the colour of a verdict's badge and overlap pieces.
func VerdictColor(verdict string) string { return verdictColor(verdict) }
