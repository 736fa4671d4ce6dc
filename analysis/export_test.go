package analysis

// SetSplitFrom sets the number of pieces from which union splits a dirty
// component (0: every one) and returns the function that restores it.
func SetSplitFrom(n int) (restore func()) {
	old := splitFrom
	splitFrom = n
	return func() { splitFrom = old }
}

// SetSplitDeclines makes the split's walks decline (on) or not.
func SetSplitDeclines(on bool) { splitDeclines = on }

// Splits returns how many dirty components Overlaps split, and in how many
// of them the walk declined so that they were dissolved whole.
func Splits(res *OverlapResult) (split, fallback int) { return res.splits, res.splitFallbacks }
