package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"wenda/eval"
	"wenda/rag"
)

// errRegression makes `wenda eval -compare` exit non-zero.
var errRegression = errors.New("cases that passed in the earlier report fail now")

// runEval runs the regression cases against the engine built in-process, or
// with -url against a running wenda, prints the table, writes the JSON and
// HTML reports, and fails below -min-accuracy or, with -compare, when a case
// that passed in the earlier report fails now. The reports are written
// before either check, so that a failing CI run leaves them behind.
func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wenda eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	minAcc := fs.Float64("min-accuracy", 0, "exit non-zero when accuracy is below this share (0-1)")
	maxWrong := fs.Int("max-wrong", -1, "exit non-zero when more cases than this are answered wrongly (-1: no limit; CI uses 0)")
	jsonOut := fs.String("json", "", "write the report as JSON (schema: package eval, Report) to this file")
	htmlOut := fs.String("html", "", "write the report as one self-contained HTML page to this file")
	compare := fs.String("compare", "", "earlier JSON report: list cases newly failing and newly passing, exit non-zero on any newly failing")
	casesPath := fs.String("cases", "", "JSONL cases file (default: the embedded regression set, eval/cases.jsonl and eval/citizen.jsonl)")
	url := fs.String("url", "", "ask the wenda running at this base URL (http://host:port) instead of an in-process engine")
	timeout := fs.Duration("timeout", 60*time.Second, "with -url, the time limit of each question")
	verbose := fs.Bool("v", false, "print passing cases too")
	// The eval's own flags may come in any order with the service's (-data,
	// -seeds), which configure the in-process engine.
	var evalArgs, cfgArgs []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if name == "h" || name == "help" {
			return evalHelp(fs, stderr)
		}
		f := fs.Lookup(name)
		if f == nil || !strings.HasPrefix(args[i], "-") {
			cfgArgs = append(cfgArgs, args[i])
			continue
		}
		evalArgs = append(evalArgs, args[i])
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (!ok || !b.IsBoolFlag()) && !hasValue && i+1 < len(args) {
			evalArgs = append(evalArgs, args[i+1])
			i++
		}
	}
	if err := fs.Parse(evalArgs); err != nil {
		return err
	}
	if *minAcc < 0 || *minAcc > 1 {
		return fmt.Errorf("-min-accuracy %g: want a share between 0 and 1, such as 0.95", *minAcc)
	}
	var old *eval.Report
	if *compare != "" {
		// Read first: a missing baseline should not cost a whole run.
		rep, err := eval.ReadReport(*compare)
		if err != nil {
			return err
		}
		old = &rep
	}
	cases, err := loadCases(*casesPath)
	if err != nil {
		return err
	}

	var asker eval.Asker
	target := eval.TargetInProcess
	if *url != "" {
		if len(cfgArgs) > 0 {
			return fmt.Errorf("eval -url asks a running wenda: %q configure an in-process engine", cfgArgs)
		}
		remote := eval.NewHTTPAsker(*url, *timeout)
		if err := remote.Ready(ctx); err != nil {
			return err
		}
		asker, target = remote, remote.BaseURL
	} else {
		cfg, rest, err := parseConfig("wenda eval", cfgArgs, getenv, stderr)
		if err != nil {
			return err
		}
		if len(rest) > 0 {
			return fmt.Errorf("eval takes no arguments, got %q", rest)
		}
		eng, err := openEngine(ctx, cfg, newLogger(slog.LevelWarn, stderr))
		if err != nil {
			return err
		}
		asker = eng
	}

	started := time.Now()
	results := eval.Run(ctx, asker, cases)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("eval interrupted: %w", err)
	}
	rep := eval.NewReport(target, started, time.Since(started), results)
	eval.WriteText(stdout, rep, *verbose)
	var diff *eval.Diff
	if old != nil {
		d := eval.Compare(*old, rep)
		diff = &d
		fmt.Fprintln(stdout)
		d.WriteText(stdout, rep)
	}
	if err := writeReport(*jsonOut, func(w io.Writer) error { return eval.WriteJSON(w, rep) }); err != nil {
		return err
	}
	if err := writeReport(*htmlOut, func(w io.Writer) error { return eval.WriteHTML(w, rep, diff) }); err != nil {
		return err
	}

	var errs []error
	if diff != nil && diff.Regressed() {
		errs = append(errs, fmt.Errorf("%w: %s", errRegression, strings.Join(diff.NewlyFailing, ", ")))
	}
	if w := rep.Summary.Wrong; *maxWrong >= 0 && w > *maxWrong {
		errs = append(errs, fmt.Errorf("%w: %d answered wrongly > %d", errBelowTarget, w, *maxWrong))
	}
	if acc := rep.Summary.Accuracy; acc < *minAcc {
		errs = append(errs, fmt.Errorf("%w: %.3f < %.3f", errBelowTarget, acc, *minAcc))
	}
	return errors.Join(errs...)
}

func loadCases(path string) ([]eval.Case, error) {
	if path == "" {
		return eval.Cases()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cases, err := eval.ParseCases(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cases, nil
}

// writeReport writes a report to path, whole or not at all; "" writes none.
func writeReport(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if err := rag.WriteFileAtomic(path, buf.Bytes()); err != nil {
		return err
	}
	// A report is for reading and committing, not a secret: the atomic
	// write's temporary file is private, the report need not be.
	return os.Chmod(path, 0o644)
}

// evalHelp prints eval's usage: its own flags and the engine's.
func evalHelp(fs *flag.FlagSet, stderr io.Writer) error {
	all := flag.NewFlagSet("wenda eval", flag.ContinueOnError)
	all.SetOutput(stderr)
	fs.VisitAll(func(f *flag.Flag) { all.Var(f.Value, f.Name, f.Usage) })
	var c config
	configFlags(all, &c, false)
	setUsage(all, "eval")
	all.Usage()
	return flag.ErrHelp
}
