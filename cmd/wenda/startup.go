package main

import (
	"fmt"
	"os"
	"path/filepath"

	"wenda/rag"
)

// checkStartup checks, before wenda says it is listening, what would
// otherwise fail once the index is being built: the data directory exists or
// can be made (openCorpus, before it, reads the -seeds directory). It opens the unanswered-questions log when it is on.
//
// A data directory that is read-only, or holds a damaged file, does not stop
// the start: what it cannot do is returned as warnings (logged and shown in
// /readyz) and the service answers from what it has. Documents cannot be
// added and the index is not saved until the directory is writable again.
func checkStartup(cfg config) (*rag.UnansweredFile, []string, error) {
	// A data directory that cannot be made (a file in its place, a path
	// under one) is a mistake in the configuration, said at once.
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("data directory: %w", err)
	}
	var warnings []string
	writable := true
	if probe, err := os.CreateTemp(cfg.DataDir, ".write-check-*"); err != nil {
		warnings = append(warnings, fmt.Sprintf("data directory %s is not writable (%v): documents cannot be added and the index is not saved", cfg.DataDir, err))
		writable = false
	} else {
		probe.Close()
		os.Remove(probe.Name())
	}
	if !cfg.UnansweredLog {
		return nil, warnings, nil
	}
	path := filepath.Join(cfg.DataDir, "unanswered.json")
	u, err := rag.OpenUnansweredFile(path, rag.DefaultUnansweredMax)
	if err == nil {
		return u, warnings, nil
	}
	// A damaged log is set aside and a new one started; where it cannot
	// be, the service runs without the log.
	if writable && os.Rename(path, path+".damaged") == nil {
		if u, err2 := rag.OpenUnansweredFile(path, rag.DefaultUnansweredMax); err2 == nil {
			return u, append(warnings, fmt.Sprintf("%v; kept as %s.damaged, a new log started", err, filepath.Base(path))), nil
		}
	}
	return nil, append(warnings, fmt.Sprintf("unanswered-questions log off: %v", err)), nil
}
