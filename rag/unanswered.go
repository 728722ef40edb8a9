package rag

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"wenda/rag/zh"
)

// Unanswered is a question wenda could not answer from its documents, and
// how often it was asked. It holds nothing else: no time, no address, no
// user, no conversation.
type Unanswered struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// NormalizeUnanswered is the form a refused question is counted under:
// traditional script, full-width forms and spacing folded (zh.Normalize),
// closing punctuation dropped, so that "南昌的生均经费是多少?" and
// "南昌的生均经费是多少" count once.
func NormalizeUnanswered(q string) string {
	q = zh.Normalize(q)
	return strings.TrimRightFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// UnansweredFile keeps the unanswered questions in one JSON file, at most
// max of them: when full, the least asked gives way to a new question, so
// that what is asked often stays. Writes are atomic and coalesced: at most
// one a second, the last one on Close.
type UnansweredFile struct {
	path string
	max  int

	mu     sync.Mutex
	counts map[string]int
	dirty  bool
	timer  *time.Timer
	err    error // the last write's error, returned by the next Record
}

// DefaultUnansweredMax caps the unanswered questions kept.
const DefaultUnansweredMax = 1000

// OpenUnansweredFile reads the file at path, if there is one.
func OpenUnansweredFile(path string, max int) (*UnansweredFile, error) {
	if max <= 0 {
		max = DefaultUnansweredMax
	}
	u := &UnansweredFile{path: path, max: max, counts: map[string]int{}}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return u, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read unanswered questions: %w", err)
	}
	var list []Unanswered
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("unanswered questions %s: %w", path, err)
	}
	for _, q := range list {
		if q.Text != "" && q.Count > 0 && len(u.counts) < max {
			u.counts[q.Text] = q.Count
		}
	}
	return u, nil
}

// Record counts a refused question.
func (u *UnansweredFile) Record(_ context.Context, question string) error {
	q := NormalizeUnanswered(question)
	if q == "" {
		return nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, ok := u.counts[q]; !ok && len(u.counts) >= u.max {
		least := ""
		for t, n := range u.counts {
			if least == "" || n < u.counts[least] || (n == u.counts[least] && t < least) {
				least = t
			}
		}
		delete(u.counts, least)
	}
	u.counts[q]++
	u.dirty = true
	if u.timer == nil {
		u.timer = time.AfterFunc(time.Second, u.flush)
	}
	err := u.err
	u.err = nil
	return err
}

// List returns the questions, most asked first, ties in text order.
func (u *UnansweredFile) List(context.Context) ([]Unanswered, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.listLocked(), nil
}

// Clear forgets every question.
func (u *UnansweredFile) Clear(context.Context) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.counts = map[string]int{}
	u.dirty = true
	return u.writeLocked()
}

func (u *UnansweredFile) listLocked() []Unanswered {
	out := make([]Unanswered, 0, len(u.counts))
	for t, n := range u.counts {
		out = append(out, Unanswered{Text: t, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	return out
}

func (u *UnansweredFile) flush() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.timer = nil
	if err := u.writeLocked(); err != nil {
		u.err = err
	}
}

func (u *UnansweredFile) writeLocked() error {
	if !u.dirty {
		return nil
	}
	raw, err := json.Marshal(u.listLocked())
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(u.path, raw); err != nil {
		return fmt.Errorf("write unanswered questions: %w", err)
	}
	u.dirty = false
	return nil
}

// Close writes what is not written yet.
func (u *UnansweredFile) Close() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.timer != nil {
		u.timer.Stop()
		u.timer = nil
	}
	return u.writeLocked()
}
