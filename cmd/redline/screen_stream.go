package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/redline-gis/redline/analysis"
	"github.com/redline-gis/redline/report"
)

// screenStream writes the screening CSV site by site as analysis.Screen
// emits the sites (ScreenOptions.Emit), into a temporary file that is
// copied to stdout once the run is through: a large run then holds no
// result rows (267 679 of them in the anchors' 5× set), and stdout still
// gets the whole CSV or nothing, as when the rows were held.
type screenStream struct {
	tmp    *os.File
	gone   bool // the file's name is removed already (it lives while open)
	buf    *bufio.Writer
	csv    *report.ScreenCSV
	fail   failWatch
	warned []analysis.SiteResult // the sites with warnings, for stderr
}

// newScreenStream returns nil, and the run holds its result, when an output
// needs the whole result (all but the CSV on stdout; tables by class, whose
// columns depend on every site) or no temporary file can be made.
func newScreenStream(opt screenOptions, threshold analysis.Verdict) *screenStream {
	if opt.Format != "csv" || opt.Pieces != "" || opt.CSV != "" || opt.JSON != "" || opt.HTML != "" || opt.XLSX != "" ||
		opt.outDB != "" || len(opt.by) > 0 {
		return nil
	}
	tmp, err := os.CreateTemp("", "redline-screen-*.csv")
	if err != nil {
		return nil
	}
	// Where an open file can lose its name (not Windows), nothing is left
	// behind even if the run is killed.
	st := &screenStream{tmp: tmp, gone: os.Remove(tmp.Name()) == nil, buf: bufio.NewWriterSize(tmp, 256<<10),
		fail: failWatch{threshold: threshold}}
	if st.csv, err = report.NewScreenCSV(st.buf, false, opt.Lang); err != nil {
		st.Close()
		return nil
	}
	return st
}

// site is the ScreenOptions.Emit of the run.
func (st *screenStream) site(s *analysis.SiteResult) error {
	st.csv.Site(s)
	st.fail.see(s)
	if len(s.Warnings) > 0 {
		st.warned = append(st.warned, *s)
	}
	if err := st.csv.Err(); err != nil {
		return fmt.Errorf("screen: temporary CSV %s: %w", st.tmp.Name(), err)
	}
	return nil
}

// writeTo copies the CSV written so far to w.
func (st *screenStream) writeTo(w io.Writer) error {
	err := st.csv.Flush()
	if err == nil {
		err = st.buf.Flush()
	}
	if err == nil {
		_, err = st.tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("screen: temporary CSV %s: %w", st.tmp.Name(), err)
	}
	_, err = io.Copy(w, st.tmp)
	return err
}

// Close removes the temporary file.
func (st *screenStream) Close() {
	st.tmp.Close()
	if !st.gone {
		os.Remove(st.tmp.Name())
	}
}

// failWatch finds the first site, in order, whose verdict reaches
// threshold (0: never), for screen's exit code.
type failWatch struct {
	threshold analysis.Verdict
	hit       bool
	id        string
	verdict   analysis.Verdict
}

func (w *failWatch) see(s *analysis.SiteResult) {
	if !w.hit && w.threshold != 0 && s.Verdict >= w.threshold && s.Verdict != analysis.Error {
		w.hit, w.id, w.verdict = true, s.ID, s.Verdict
	}
}

// err is errFindings naming that site, or nil.
func (w *failWatch) err() error {
	if !w.hit {
		return nil
	}
	return fmt.Errorf("%w: site %s is %s", errFindings, w.id, w.verdict)
}
