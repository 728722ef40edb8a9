package eval

import (
	"fmt"
	"io"
	"strings"
)

// Diff is what changed between an earlier report and this one, by case id.
// Only pass/fail counts: answers, times and metrics may differ freely.
type Diff struct {
	NewlyFailing []string `json:"newly_failing"` // passed before, fail now: regressions
	NewlyPassing []string `json:"newly_passing"` // failed before, pass now
	Added        []string `json:"added"`         // not in the earlier report, whatever their outcome
	Removed      []string `json:"removed"`       // in the earlier report only
}

// Compare lists the cases of cur whose outcome differs from old's, in cur's
// case order (removed ones in old's). A case old does not have is new, never
// a regression, even when it fails.
func Compare(old, cur Report) Diff {
	d := Diff{NewlyFailing: []string{}, NewlyPassing: []string{}, Added: []string{}, Removed: []string{}}
	before := make(map[string]bool, len(old.Results))
	for _, r := range old.Results {
		before[r.ID] = r.Pass
	}
	now := make(map[string]bool, len(cur.Results))
	for _, r := range cur.Results {
		now[r.ID] = true
		passed, ok := before[r.ID]
		switch {
		case !ok:
			d.Added = append(d.Added, r.ID)
		case passed && !r.Pass:
			d.NewlyFailing = append(d.NewlyFailing, r.ID)
		case !passed && r.Pass:
			d.NewlyPassing = append(d.NewlyPassing, r.ID)
		}
	}
	for _, r := range old.Results {
		if !now[r.ID] {
			d.Removed = append(d.Removed, r.ID)
		}
	}
	return d
}

// Regressed says whether a case that passed before fails now.
func (d Diff) Regressed() bool { return len(d.NewlyFailing) > 0 }

// WriteText prints the diff: each list with its ids, one a line, the newly
// failing ones with their question and why they fail.
func (d Diff) WriteText(w io.Writer, cur Report) {
	byID := make(map[string]CaseResult, len(cur.Results))
	for _, r := range cur.Results {
		byID[r.ID] = r
	}
	fmt.Fprintf(w, "compared with the earlier report: %d newly failing, %d newly passing, %d added, %d removed\n",
		len(d.NewlyFailing), len(d.NewlyPassing), len(d.Added), len(d.Removed))
	if len(d.NewlyFailing) > 0 {
		fmt.Fprintln(w, "newly failing:")
		for _, id := range d.NewlyFailing {
			r := byID[id]
			fmt.Fprintf(w, "  %-28s %s\n  %-28s why: %s\n", id, r.Question, "", strings.Join(r.Reasons, "; "))
		}
	}
	if len(d.NewlyPassing) > 0 {
		fmt.Fprintln(w, "newly passing:")
		for _, id := range d.NewlyPassing {
			fmt.Fprintf(w, "  %-28s %s\n", id, byID[id].Question)
		}
	}
	for _, l := range []struct {
		title string
		ids   []string
	}{{"added", d.Added}, {"removed", d.Removed}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(w, "%s: %v\n", l.title, l.ids)
		}
	}
}
