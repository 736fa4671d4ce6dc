package analysis

import (
	"strings"

	"github.com/paulmach/orb"

	"github.com/redline-gis/redline/geo"
)

// Repair records one invalid feature that a command repaired, skipped or
// could not repair. It is the one record every command reports, under the
// one JSON key "repairs" (screen, share, overlaps, validate --repair).
type Repair struct {
	Layer        string   `json:"layer"`         // the layer's name ("sites" for screen's sites file)
	Role         string   `json:"role"`          // "sites", "regions", "layer" or "file" (validate)
	FeatureIndex int      `json:"feature_index"` // 0-based position in its file
	FeatureID    string   `json:"feature_id"`
	Reason       string   `json:"reason"`          // the first problem found
	Action       string   `json:"action"`          // "skipped", what the repair did ("; "-joined), or "not repaired: …"
	Did          []string `json:"did"`             // each step the repair took
	Error        string   `json:"error,omitempty"` // why it could not be repaired
	AreaBeforeM2 float64  `json:"area_before_m2"`  // as drawn (overlapping parts count twice)
	AreaAfterM2  float64  `json:"area_after_m2"`
	ChangePct    float64  `json:"change_pct"` // (after − before) / before × 100

	// Deprecated: the names share, overlaps and validate used before this
	// record was shared (index, id, what); kept for one release, see CHANGELOG.md.
	Index int    `json:"index"`
	ID    string `json:"id"`
	What  string `json:"what,omitempty"`
}

// newRepair starts the record of invalid feature f of layer (in role) with
// its first problem.
func newRepair(role, layer string, f *geo.Feature, reason string) Repair {
	return Repair{Layer: layer, Role: role, FeatureIndex: f.Index, FeatureID: f.ID, Reason: reason, Did: []string{},
		AreaBeforeM2: geo.AreaM2(f.Geom), Index: f.Index, ID: f.ID}
}

// skipped marks the feature as left out.
func (r *Repair) skipped() {
	r.Action, r.AreaAfterM2, r.ChangePct = "skipped", 0, 0
	r.What = r.Reason + ": skipped"
}

// repaired records what the repair did and the geometry it gave.
func (r *Repair) repaired(did []string, g orb.Geometry) {
	r.Did = append([]string{}, did...)
	r.Action = strings.Join(did, "; ")
	if r.Action == "" {
		r.Action = "repaired"
	}
	r.What = r.Reason + ": " + strings.Join(did, "; ")
	r.AreaAfterM2 = geo.AreaM2(g)
	if r.AreaBeforeM2 != 0 {
		r.ChangePct = 100 * (r.AreaAfterM2 - r.AreaBeforeM2) / r.AreaBeforeM2
	}
}

// failed records that the repair did not succeed.
func (r *Repair) failed(did []string, err error) {
	r.Did = append([]string{}, did...)
	r.Error = err.Error()
	r.Action = "not repaired: " + r.Error
	r.What = r.Reason + ": " + r.Action
	r.AreaAfterM2, r.ChangePct = r.AreaBeforeM2, 0
}

// Summary renders what happened in one line (validate's "repaired" column).
func (r Repair) Summary() string {
	if r.Error != "" {
		return "not repaired: " + r.Error
	}
	return strings.Join(r.Did, "; ")
}
