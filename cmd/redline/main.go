// Command redline screens project sites against ecological protection red
// lines, nature reserves, drinking-water-source zones and other constraint
// layers, computes area shares per region, and finds overlaps, on the
// CGCS2000 ellipsoid.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes, for every command.
const (
	exitOK       = 0 // done, nothing to flag
	exitError    = 1 // bad input, I/O
	exitUsage    = 2 // usage error
	exitFindings = 3 // screen: verdict at or above --fail-on; validate: invalid features; share: target missed
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

var (
	errUsage    = errors.New("usage")
	errFindings = errors.New("findings")
)

// usageErr wraps a message as a usage error (exit code 2).
func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	ew := newWarnWriter(stderr)
	defer func(w io.Writer) { stdoutOutput = w }(stdoutOutput)
	stdoutOutput = stdout
	app := newApp(stdout, ew)
	unknown := ""
	app.CommandNotFound = func(_ *cli.Context, name string) { unknown = name }
	err := app.RunContext(ctx, interspersed(app, args))
	ew.flush()
	if err == nil && unknown != "" {
		err = usageErr("no command %q (see the list of commands with 'redline --help')", unknown)
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errFindings):
		return exitFindings
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "redline: %s\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		fmt.Fprintln(stderr, "Run 'redline --help' for usage.")
		return exitUsage
	default:
		fmt.Fprintf(stderr, "redline: %v\n", err)
		return exitError
	}
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:    "redline",
		Usage:   "ecological-constraint screening on the CGCS2000 ellipsoid (red lines, reserves, water-source zones)",
		Version: version,
		Description: "Exit codes: 0 done; 1 error (bad input, a site without geometry, an empty constraint layer, coordinates\n" +
			"implausible for their CRS, I/O, Ctrl-C); 2 usage (an unknown command or flag, an output path refused);\n" +
			"3 findings (see each command). Outputs are checked before any work (- is stdout; devices, FIFOs,\n" +
			"symlinks and the inputs are refused) and replace the old ones only when written whole.\n" +
			"Warnings print 20 of each kind, then a count.",
		Writer: stdout, ErrWriter: stderr,
		ExitErrHandler: func(*cli.Context, error) {}, // v2 would call os.Exit inside Run
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usageErr("%v", err)
		},
		Commands: commands(),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "cpuprofile", Hidden: true, Usage: "write a CPU profile (for development)"},
		},
		Before: startProfile,
		After:  stopProfile,
	}
}

// startProfile starts a CPU profile when --cpuprofile is given.
func startProfile(c *cli.Context) error {
	path := c.String("cpuprofile")
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	c.App.Metadata = map[string]any{"profile": f}
	return pprof.StartCPUProfile(f)
}

func stopProfile(c *cli.Context) error {
	if f, ok := c.App.Metadata["profile"].(*os.File); ok {
		pprof.StopCPUProfile()
		return f.Close()
	}
	return nil
}

// interspersed moves a subcommand's flags before its positional arguments,
// so that "redline screen sites.geojson --layer …" works: urfave/cli v2
// stops reading flags at the first positional argument.
func interspersed(app *cli.App, args []string) []string {
	// Skip global flags to find the subcommand.
	k := 1
	for k < len(args) && strings.HasPrefix(args[k], "-") {
		if args[k] == "--cpuprofile" {
			k++
		}
		k++
	}
	if k+1 >= len(args) {
		return args
	}
	var cmd *cli.Command
	for _, c := range app.Commands {
		if c.Name == args[k] || slices.Contains(c.Aliases, args[k]) {
			cmd = c
		}
	}
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	flags := []string{}
	var pos []string
	rest := args[k+1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			pos = append(pos, rest[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				flags = append(flags, rest[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	out := append(slices.Clone(args[:k+1]), flags...)
	if len(pos) > 0 {
		out = append(append(out, "--"), pos...)
	}
	return out
}
