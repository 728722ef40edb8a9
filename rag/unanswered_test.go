package rag_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
)

func TestUnansweredFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unanswered.json")
	u, err := rag.OpenUnansweredFile(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"南昌的生均经费是多少?", "南昌的生均经费是多少", "南昌的生均經費是多少？", // one question, three spellings
		"九江有多少所高校", "九江有多少所高校?",
		"上饶的学位缺口",
		"赣州的师生比", // over the cap: the least asked (上饶) gives way
	} {
		if err := u.Record(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	want := []rag.Unanswered{{"南昌的生均经费是多少", 3}, {"九江有多少所高校", 2}, {"赣州的师生比", 1}}
	got, _ := u.List(t.Context())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List() mismatch (-want +got):\n%s", diff)
	}
	if err := u.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := rag.OpenUnansweredFile(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = again.List(t.Context())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopening, List() mismatch (-want +got):\n%s", diff)
	}
	if err := again.Clear(t.Context()); err != nil {
		t.Fatal(err)
	}
	third, _ := rag.OpenUnansweredFile(path, 3)
	if got, _ := third.List(t.Context()); len(got) != 0 {
		t.Errorf("after Clear, List() = %v, want none", got)
	}
}
