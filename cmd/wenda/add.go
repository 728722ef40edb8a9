package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"wenda/rag"
)

// runAdd reads a file (PDF, DOCX, HTML, Markdown or text, told from its
// content) into the data directory's documents, as the admin API does, then
// rebuilds the saved index. A running wenda sees it after a restart; to add
// to a running one without a restart, use the admin page or API.
func runAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var meta rag.Document
	fs := flag.NewFlagSet("wenda add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&meta.ID, "id", "", "document id: lower-case letters, digits, '.', '_', '-' (default: from the text's hash)")
	fs.StringVar(&meta.Title, "title", "", "title (default: the file's own, e.g. an HTML <title>)")
	fs.StringVar(&meta.City, "city", "", "city the document is about, e.g. 南昌市")
	fs.StringVar(&meta.Province, "province", "", "province, e.g. 江西省")
	fs.StringVar(&meta.Published, "published", "", "publication date: YYYY-MM-DD, YYYY-MM or YYYY")
	fs.StringVar(&meta.URL, "url", "", "the original's http(s) URL, linked from every source")
	fs.StringVar(&meta.Kind, "kind", "", "kind of document, e.g. 规划, 通知")
	// The environment first, then -data and -seeds over it with the
	// document's flags.
	cfg, _, err := parseConfig("wenda add", nil, getenv, stderr)
	if err != nil {
		return err
	}
	configFlags(fs, &cfg, false)
	setUsage(fs, "add")
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("add takes one file, got %d arguments", len(rest))
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	doc, err := rag.DocumentFromFile(data, meta)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	corp, err := openCorpus(cfg)
	if err != nil {
		return err
	}
	for _, d := range corp.builtIn {
		if d.ID == doc.ID {
			return fmt.Errorf("%w: id %q is a built-in document", rag.ErrInvalidDocument, doc.ID)
		}
	}
	if err := corp.library.Put(doc); err != nil {
		return fmt.Errorf("store document: %w", err)
	}
	eng, _, err := loadEngine(ctx, cfg, corp, newLogger(slog.LevelWarn, stderr))
	if err != nil {
		return err
	}
	s := eng.Index().Stats()[doc.ID]
	fmt.Fprintf(stdout, "added %s: %s (%d chunks, %d figures) to %s\n", doc.ID, doc.Title, s.Chunks, s.Figures, cfg.DataDir)
	return nil
}
