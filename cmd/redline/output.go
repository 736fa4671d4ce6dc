package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redline-gis/redline/data"
	"github.com/redline-gis/redline/geo"
)

// The output rules (issue 15, DESIGN.md "Reliability rules"): every output
// is checked before any work (checkOutputPaths), written under a temporary
// name beside its target and moved into place only when the whole write
// succeeded; a failed or interrupted write removes its temporaries and
// leaves the old outputs as they were. Files are created 0644 less the
// umask. "-" is stdout.

// stdoutPath is the output path that means standard output.
const stdoutPath = "-"

// stdout is where "-" writes: the run's stdout (run sets it).
var stdoutOutput io.Writer = os.Stdout

// outputPath is one output a command will write: its flag (for messages),
// its path, and whether it is a feature file (-o, --repair, convert's OUT),
// whose extension picks the format.
type outputPath struct {
	Flag     string
	Path     string
	Features bool
}

// checkOutputPaths is the one check of every output before any work: a
// known extension for feature files, a path that is "-" or a regular file
// or absent (never a device, FIFO, symlink or folder), in a folder that
// exists, and not one of the inputs. Usage errors (exit 2).
func checkOutputPaths(outs []outputPath, inputs []string) error {
	seen := map[string]string{}
	for _, o := range outs {
		if o.Path == "" {
			continue
		}
		if o.Path == stdoutPath {
			if prev, ok := seen[stdoutPath]; ok {
				return usageErr("%s and %s both write to stdout (-)", prev, o.Flag)
			}
			seen[stdoutPath] = o.Flag
			continue
		}
		if o.Features {
			if err := checkFeatureExt(o.Path); err != nil {
				return usageErr("%s %s: %v", o.Flag, o.Path, err)
			}
		}
		dir := filepath.Dir(o.Path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usageErr("%s %s: folder %s does not exist", o.Flag, o.Path, dir)
		}
		for _, p := range outputFiles(o) {
			st, err := os.Lstat(p)
			if err != nil {
				continue // absent: fine
			}
			if !st.Mode().IsRegular() {
				return usageErr("%s %s: %s is not a regular file (%s): refusing to replace it; give another path, or - for stdout",
					o.Flag, o.Path, p, fileKind(st.Mode()))
			}
			for _, in := range inputs {
				if sameFile(p, in, st) {
					return usageErr("%s %s would overwrite the input %s: write to another path", o.Flag, o.Path, in)
				}
			}
		}
		abs, _ := filepath.Abs(o.Path)
		if prev, ok := seen[abs]; ok {
			return usageErr("%s and %s both write %s", prev, o.Flag, o.Path)
		}
		seen[abs] = o.Flag
	}
	return nil
}

// outputFiles are the files an output replaces: a shapefile's whole set.
func outputFiles(o outputPath) []string {
	if !o.Features || !strings.EqualFold(filepath.Ext(o.Path), ".shp") {
		return []string{o.Path}
	}
	base := strings.TrimSuffix(o.Path, filepath.Ext(o.Path))
	var out []string
	for _, ext := range shapefileSet {
		out = append(out, base+ext)
	}
	return out
}

// shapefileSet are the files of a shapefile output, the .shp last: it is
// what readers open, so a set missing it is no set at all.
var shapefileSet = []string{".shx", ".dbf", ".prj", ".cpg", ".shp"}

// sameFile reports whether out (with its Lstat st) is the input in, or one
// of in's shapefile sidecars.
func sameFile(out, in string, st os.FileInfo) bool {
	cands := []string{in}
	if strings.EqualFold(filepath.Ext(in), ".shp") {
		base := strings.TrimSuffix(in, filepath.Ext(in))
		for _, ext := range shapefileSet {
			cands = append(cands, base+ext, base+strings.ToUpper(ext))
		}
	}
	for _, c := range cands {
		if ist, err := os.Stat(c); err == nil && os.SameFile(st, ist) {
			return true
		}
	}
	return false
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

var errProbe = errors.New("probe")

// checkFeatureExt asks data.WriteFeatures itself whether it writes path's
// extension, without writing anything, so that the check before the work
// and the dispatch after it can never disagree.
func checkFeatureExt(path string) error {
	probe := data.Output{Name: filepath.Base(path),
		Create: func(string) (io.WriteCloser, error) { return nil, errProbe },
		Write:  func(func(io.Writer) error) error { return errProbe },
	}
	err := data.WriteFeatures(probe, nil, nil, data.WriteOptions{})
	if errors.Is(err, data.ErrOutputFormat) {
		return err
	}
	return nil
}

// writeFeatures writes feats to path in the format its extension names
// (data.WriteFeatures): .geojson/.json, .shp (with its sidecar files), .zip
// (a zipped shapefile), .kml, .kmz or .gpkg; "-" writes GeoJSON to stdout. prj is
// the .prj of a shapefile whose geometries are not CGCS2000 lon/lat ("" for
// lon/lat). A shapefile set is written whole into a temporary folder beside
// path and moved into place only when every file of it is written
// (commitSet); ctx is checked before anything is moved.
func writeFeatures(ctx context.Context, path string, fields []string, feats []geo.Record, prj string, stderr io.Writer) error {
	return writeFeaturesWith(ctx, path, fields, feats, data.WriteOptions{PRJ: prj}, stderr)
}

// writeFeaturesWith is writeFeatures with every write option (the CRS of a
// GeoPackage output).
func writeFeaturesWith(ctx context.Context, path string, fields []string, feats []geo.Record, opt data.WriteOptions, stderr io.Writer) error {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".shp" || ext == ".zip" {
		warnLongText(stderr, path, fields, feats)
	}
	if path == stdoutPath {
		out := data.Output{Name: "stdout.geojson", Write: func(fn func(w io.Writer) error) error { return fn(stdoutOutput) }}
		return data.WriteFeatures(out, fields, feats, opt)
	}
	var stage string // the temporary folder of a shapefile set
	defer func() {
		if stage != "" {
			os.RemoveAll(stage)
		}
	}()
	out := data.Output{
		Name: path,
		Create: func(name string) (io.WriteCloser, error) {
			if stage == "" {
				var err error
				if stage, err = os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*"); err != nil {
					return nil, err
				}
			}
			return createFile(filepath.Join(stage, name))
		},
		Write: func(fn func(w io.Writer) error) error {
			return writeFileAtomic(ctx, path, func(w io.Writer) error { return fn(w) })
		},
	}
	err := data.WriteFeatures(out, fields, feats, opt)
	if errors.Is(err, data.ErrOutputFormat) {
		return usageErr("%s: %v", path, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w (nothing written; the old files are as they were)", path, err)
	}
	if stage != "" {
		if err := ctx.Err(); err != nil {
			return err
		}
		return commitSet(stage, path)
	}
	return nil
}

// commitSet moves the files of a shapefile set from the folder stage to
// beside path. POSIX cannot rename several files at once, so the set is
// made whole or absent instead: the old .shp goes first (a reader then
// finds no set), the old sidecars the new set lacks are removed, the new
// sidecars are moved in, and the new .shp last. A kill in between leaves no
// .shp, never new geometry paired with old attributes; the staging folder
// then still holds the complete new set. A .zip output is one file and
// atomic.
func commitSet(stage, path string) error {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	shp := base + filepath.Ext(path)
	if err := os.Remove(shp); err != nil && !os.IsNotExist(err) {
		return err
	}
	entries, err := os.ReadDir(stage)
	if err != nil {
		return err
	}
	have := map[string]string{} // lower-case extension → staged file
	for _, e := range entries {
		have[strings.ToLower(filepath.Ext(e.Name()))] = filepath.Join(stage, e.Name())
	}
	for _, ext := range shapefileSet {
		if _, ok := have[ext]; !ok {
			os.Remove(base + ext) // an old sidecar would pair with the new set
		}
	}
	for _, ext := range shapefileSet { // .shp last
		if src, ok := have[ext]; ok {
			if err := os.Rename(src, base+ext); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	return nil
}

// warnLongText warns of each text value a DBF column cannot hold whole
// (254 bytes), naming the field and the feature.
func warnLongText(stderr io.Writer, path string, fields []string, feats []geo.Record) {
	for i, f := range feats {
		for k, v := range f.Props {
			s, ok := v.(string)
			if !ok || len(s) <= 254 {
				continue
			}
			if fields != nil && !containsString(fields, k) {
				continue
			}
			id := f.ID
			for _, k := range data.DefaultIDFields {
				if v, ok := f.Props[k]; ok && id == "" && v != nil {
					id = fmt.Sprint(v)
				}
			}
			warnf(stderr, "%s: %s: field %q has %d bytes of text, more than the 254 a DBF column holds: cut to 254 (write GeoJSON to keep it whole)",
				path, geo.Label("feature", i, id), k, len(s))
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// writeFileAtomic writes through fn into a temporary file next to path and
// renames it into place, so that an interrupted or failed run never leaves
// half a file and never replaces the old one: on failure the temporary file
// is removed. "-" writes to stdout.
func writeFileAtomic(ctx context.Context, path string, fn func(w io.Writer) error) error {
	if path == stdoutPath {
		return fn(stdoutOutput)
	}
	tmp, err := createTemp(path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := fn(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w (nothing written; the old file is as it was)", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w (nothing written; the old file is as it was)", path, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

var tmpSeq atomic.Uint64

// createTemp creates a new file beside path with mode 0644 less the umask
// (os.CreateTemp would make it 0600).
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	for range 100 {
		n := uint64(time.Now().UnixNano()) ^ tmpSeq.Add(1)<<48 ^ uint64(os.Getpid())<<20
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(n%1e12, 36))
		f, err := createFile(name)
		if !os.IsExist(err) {
			return f, err
		}
	}
	return nil, fmt.Errorf("%s: cannot create a temporary file beside it", path)
}

// createFile creates a new file, 0644 less the umask.
func createFile(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
}
