package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/redline-gis/redline/report"
)

var rulesOutputs = outputSet{Formats: []string{"table", "json", "yaml"}, NoProgress: true}

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "print the rule book in force (the default one, or extended by --rules FILE)",
		Flags: append(outputFlags(rulesOutputs),
			&cli.StringFlag{Name: "rules", Usage: "rule book file (YAML) extending the default one (replace: true replaces it)"},
		),
		Action: func(c *cli.Context) error {
			if c.NArg() != 0 {
				return usageErr("rules takes no arguments")
			}
			outs, err := parseOutputs(c, rulesOutputs)
			if err != nil {
				return err
			}
			return runRules(c.String("rules"), outs.Format, outs.Lang, c.App.Writer)
		},
	}
}

func runRules(path, format string, lang report.Lang, w io.Writer) error {
	rb, err := loadRules(path)
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return report.WriteJSON(w, rb)
	case "yaml":
		return report.WriteYAML(w, rb)
	}
	en := lang == report.EN
	pick := func(zh, enText string) string {
		if en && enText != "" {
			return enText
		}
		return zh
	}
	t := report.Table{Header: header(en, []string{"规则", "图层类型", "分区", "项目类型", "结论", "内容", "依据"},
		[]string{"rule", "kind", "zones", "project types", "verdict", "rule text", "basis"})}
	for _, r := range rb.Rules {
		t.Add(r.ID, r.Kind, strings.Join(r.Zones, ","), typesText(r.Types, r.Except), report.VerdictText(lang, r.Verdict.String()),
			pick(r.Text, r.TextEN), pick(r.Basis, r.BasisEN))
	}
	if err := t.Write(w); err != nil {
		return err
	}
	p := report.Table{Header: header(en, []string{"邻近规则", "图层类型", "项目类型", "距离(m)", "结论", "内容", "依据"},
		[]string{"proximity rule", "kind", "project types", "within m", "verdict", "rule text", "basis"})}
	for _, r := range rb.Proximity {
		p.Add(r.ID, r.Kind, typesText(r.Types, r.Except), strconv.FormatFloat(r.WithinM, 'f', -1, 64),
			report.VerdictText(lang, r.Verdict.String()), pick(r.Text, r.TextEN), pick(r.Basis, r.BasisEN))
	}
	fmt.Fprintln(w)
	if err := p.Write(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", report.Disclaimer(lang))
	return nil
}

func header(en bool, zh, enH []string) []string {
	if en {
		return enH
	}
	return zh
}

func typesText(types, except []string) string {
	s := strings.Join(types, ",")
	if len(except) > 0 {
		s += " except " + strings.Join(except, ",")
	}
	return s
}
