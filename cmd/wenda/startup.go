package main

import (
	"fmt"
	"os"
	"path/filepath"

	"wenda/rag"
)

// checkStartup checks, before wenda says it is listening, what would
// otherwise fail once the index is being built: the -seeds directory reads,
// the data directory is writable and its documents load. It opens the
// unanswered-questions log when it is on.
func checkStartup(cfg config) (*rag.UnansweredFile, error) {
	if cfg.SeedsDir != "" {
		if _, err := rag.LoadDir(os.DirFS(cfg.SeedsDir)); err != nil {
			return nil, fmt.Errorf("seeds directory %s: %w", cfg.SeedsDir, err)
		}
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	probe, err := os.CreateTemp(cfg.DataDir, ".write-check-*")
	if err != nil {
		return nil, fmt.Errorf("data directory %s is not writable: %w", cfg.DataDir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	if _, err := rag.NewLibrary(libraryDir(cfg)).Load(); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	if !cfg.UnansweredLog {
		return nil, nil
	}
	u, err := rag.OpenUnansweredFile(filepath.Join(cfg.DataDir, "unanswered.json"), rag.DefaultUnansweredMax)
	if err != nil {
		return nil, err
	}
	return u, nil
}
