package main

import "github.com/urfave/cli/v2"

// commands lists the subcommands, in the order --help shows them.
func commands() []*cli.Command {
	return []*cli.Command{
		screenCommand(),
		shareCommand(),
		rulesCommand(),
		infoCommand(),
		overlapsCommand(),
		diffCommand(),
		validateCommand(),
		convertCommand(),
		demoCommand(),
		serveCommand(),
		importCommand(),
	}
}
