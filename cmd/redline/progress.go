package main

import (
	"io"
	"io/fs"
	"os"
	"path"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressMinBytes is the size from which reading a file shows a bar.
const progressMinBytes = 20 << 20

// progress draws progress bars on stderr. A nil *progress draws nothing:
// newProgress returns nil unless stderr is a terminal and not --quiet.
type progress struct {
	w io.Writer
}

// quietFlag is the flag that silences progress bars.
const quietFlag = "quiet"

func newProgress(stderr io.Writer, quiet bool) *progress {
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: f}
}

func (p *progress) bar(total int64, desc string, bytes bool) *progressbar.ProgressBar {
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowBytes(bytes),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
	)
}

// counter returns a callback counting items done, for
// analysis.ScreenOptions.Progress, and a function that ends the bar; on a
// nil *progress the callback is nil. The callback is safe for concurrent
// use (the bar locks).
func (p *progress) counter(total int, desc string) (func(done, total int), func()) {
	if p == nil || total <= 1 {
		return nil, func() {}
	}
	bar := p.bar(int64(total), desc, false)
	return func(int, int) { bar.Add(1) }, func() { bar.Finish() }
}

// fs wraps fsys so that opening a file of progressMinBytes or more shows a
// bar of the bytes read. A nil *progress returns fsys itself.
func (p *progress) fs(fsys fs.FS) fs.FS {
	if p == nil {
		return fsys
	}
	return progressFS{fsys, p}
}

type progressFS struct {
	fs.FS
	p *progress
}

func (pf progressFS) Open(name string) (fs.File, error) {
	f, err := pf.FS.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < progressMinBytes {
		return f, nil
	}
	pfile := &progressFile{File: f, bar: pf.p.bar(st.Size(), "reading "+path.Base(name), true)}
	if ra, ok := f.(io.ReaderAt); ok {
		return &progressFileAt{pfile, ra}, nil // zip and kmz readers need ReadAt
	}
	return pfile, nil
}

type progressFile struct {
	fs.File
	bar *progressbar.ProgressBar
}

func (f *progressFile) Read(b []byte) (int, error) {
	n, err := f.File.Read(b)
	f.bar.Add(n)
	return n, err
}

func (f *progressFile) Close() error {
	f.bar.Finish()
	return f.File.Close()
}

type progressFileAt struct {
	*progressFile
	ra io.ReaderAt
}

func (f *progressFileAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := f.ra.ReadAt(b, off)
	f.bar.Add(n)
	return n, err
}
