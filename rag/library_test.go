package rag_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wenda/rag"
)

// TestLibraryScanSkipsDamaged: one truncated file does not keep the other
// documents from loading; it is named with the reason.
func TestLibraryScanSkipsDamaged(t *testing.T) {
	dir := t.TempDir()
	lib := rag.NewLibrary(dir)
	good := rag.Document{ID: "good", Title: "好文档", City: "南昌市", Text: "南昌市2024年新建学校10所。"}
	if err := lib.Put(good); err != nil {
		t.Fatal(err)
	}
	if err := lib.Put(rag.Document{ID: "cut", Title: "截断", City: "南昌市", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "cut.json"))
	os.WriteFile(filepath.Join(dir, "cut.json"), raw[:len(raw)/2], 0o644)
	os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"id":"notother","title":"t","text":"x"}`), 0o644)

	docs, skipped, err := lib.Scan()
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(docs) != 1 || docs[0].ID != "good" {
		t.Errorf("docs = %v, want the good one only", docs)
	}
	var names []string
	for _, s := range skipped {
		names = append(names, s.String())
	}
	got := strings.Join(names, "\n")
	if len(skipped) != 2 || !strings.Contains(got, "cut.json") || !strings.Contains(got, "other.json") {
		t.Errorf("skipped = %q, want cut.json and other.json with reasons", got)
	}
	if loaded, err := lib.Load(); err != nil || len(loaded) != 1 {
		t.Errorf("Load = %d docs, %v; want the good one", len(loaded), err)
	}
}

// TestWithoutBuiltIn: an added document with a built-in's ID is left out.
func TestWithoutBuiltIn(t *testing.T) {
	builtin := []rag.Document{{ID: "seed"}}
	keep, skipped := rag.WithoutBuiltIn(builtin, []rag.Document{{ID: "seed"}, {ID: "mine"}})
	if len(keep) != 1 || keep[0].ID != "mine" || len(skipped) != 1 || skipped[0].Name != "seed" {
		t.Errorf("keep %v, skipped %v; want mine kept and seed skipped", keep, skipped)
	}
}

// TestDocumentMetadata: city, province and kind hold place names and plain
// text, never markup.
func TestDocumentMetadata(t *testing.T) {
	base := rag.Document{ID: "d", Title: "标题", City: "南昌市", Province: "江西省", Kind: "government plan (PDF extraction)", Text: "正文"}
	tests := []struct {
		name string
		edit func(*rag.Document)
		ok   bool
	}{
		{"valid", func(*rag.Document) {}, true},
		{"no place", func(d *rag.Document) { d.City, d.Province = "", "" }, true},
		{"minority prefecture", func(d *rag.Document) { d.City = "黔东南苗族侗族自治州" }, true},
		{"markup in city", func(d *rag.Document) { d.City = `<img src=x onerror=alert(1)>` }, false},
		{"quote in city", func(d *rag.Document) { d.City = `南昌"市` }, false},
		{"long city", func(d *rag.Document) { d.City = strings.Repeat("南", 31) }, false},
		{"markup in province", func(d *rag.Document) { d.Province = "<b>江西</b>" }, false},
		{"markup in kind", func(d *rag.Document) { d.Kind = "<script>x</script>" }, false},
		{"control in kind", func(d *rag.Document) { d.Kind = "plan\x00" }, false},
		{"long kind", func(d *rag.Document) { d.Kind = strings.Repeat("k", 81) }, false},
	}
	for _, tt := range tests {
		d := base
		tt.edit(&d)
		err := d.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, rag.ErrInvalidDocument) {
			t.Errorf("%s: error %v is not ErrInvalidDocument", tt.name, err)
		}
	}
}

// gatedEmbedder embeds like the hash embedder but, once closed, waits for
// the gate before each call.
type gatedEmbedder struct {
	rag.HashEmbedder
	gate    chan struct{}
	closed  atomic.Bool
	waiting chan struct{}
	calls   atomic.Int64
}

func (g *gatedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	g.calls.Add(int64(len(texts)))
	if g.closed.Load() {
		select {
		case g.waiting <- struct{}{}:
		default:
		}
		<-g.gate
	}
	return g.HashEmbedder.Embed(ctx, texts)
}

func (g *gatedEmbedder) Name() string { return g.HashEmbedder.Name() }

func newGated() *gatedEmbedder {
	return &gatedEmbedder{HashEmbedder: *rag.NewHashEmbedder(0), gate: make(chan struct{}), waiting: make(chan struct{}, 1)}
}

// TestListDuringAdd: listing documents does not wait while a large document
// is split and embedded.
func TestListDuringAdd(t *testing.T) {
	emb := newGated()
	ix, _, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: emb, Tokens: tok})
	if err != nil {
		t.Fatal(err)
	}
	docs := rag.NewDocuments(rag.NewEngine(ix), rag.NewLibrary(t.TempDir()), nil)
	emb.closed.Store(true)
	added := make(chan error, 1)
	go func() {
		_, err := docs.Add(context.Background(), rag.Document{ID: "big", Title: "大文档", City: "赣州市", Text: strings.Repeat("赣州市新建学校10所。", 1000)})
		added <- err
	}()
	<-emb.waiting // the add is embedding
	listed := make(chan int, 1)
	go func() { listed <- len(docs.List()) }()
	select {
	case n := <-listed:
		if n != len(seedDocs(t)) {
			t.Errorf("listed %d documents during the add, want the %d seeds", n, len(seedDocs(t)))
		}
	case <-time.After(2 * time.Second):
		t.Error("List waited behind an add being embedded")
	}
	close(emb.gate)
	if err := <-added; err != nil {
		t.Fatal(err)
	}
	if n := len(docs.List()); n != len(seedDocs(t))+1 {
		t.Errorf("listed %d documents after the add, want %d", n, len(seedDocs(t))+1)
	}
}

// TestAddedDocumentCannotTakeBuiltInID: adding or deleting a built-in's ID
// is refused, and the built-in document keeps answering.
func TestAddedDocumentCannotTakeBuiltInID(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	docs := rag.NewDocuments(e, rag.NewLibrary(t.TempDir()), nil)
	id := seedDocs(t)[3].ID
	_, err := docs.Add(t.Context(), rag.Document{ID: id, Title: "冒名", City: "南昌市", Text: "南昌市义务教育巩固率为12.34%。"})
	if !errors.Is(err, rag.ErrInvalidDocument) {
		t.Errorf("Add(built-in id) = %v, want ErrInvalidDocument", err)
	}
	if err := docs.Remove(t.Context(), id); !errors.Is(err, rag.ErrReadOnlyDocument) {
		t.Errorf("Remove(built-in id) = %v, want ErrReadOnlyDocument", err)
	}
	a, err := e.Ask(t.Context(), rag.Request{Question: "南昌义务教育巩固率是多少?"})
	if err != nil || !strings.Contains(a.Answer, "97.01") || strings.Contains(a.Answer, "12.34") {
		t.Errorf("answer = %q, %v; want the built-in 97.01", a.Answer, err)
	}
}

// TestSnapshotFollowsAdminChanges: after documents are added and deleted at
// run time, a restart loads every document from the snapshot, embedding
// nothing again.
func TestSnapshotFollowsAdminChanges(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "index.bin")
	lib := rag.NewLibrary(filepath.Join(dir, "documents"))
	emb := newGated()
	ix, _, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: emb, Tokens: tok, SnapshotPath: path})
	if err != nil {
		t.Fatal(err)
	}
	docs := rag.NewDocuments(rag.NewEngine(ix), lib, nil)
	docs.SnapshotPath = path
	for i := range 5 {
		_, err := docs.Add(t.Context(), rag.Document{ID: fmt.Sprintf("a%d", i), Title: "新增", City: "赣州市", Text: fmt.Sprintf("赣州市2024年新建学校%d所。", i+1)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := docs.Remove(t.Context(), "a2"); err != nil {
		t.Fatal(err)
	}
	// a1 replaced by another text.
	if _, err := docs.Add(t.Context(), rag.Document{ID: "a1", Title: "新增", City: "赣州市", Text: "赣州市2024年新建学校99所。"}); err != nil {
		t.Fatal(err)
	}
	if err := docs.SnapshotErr(); err != nil {
		t.Fatalf("snapshot update: %v", err)
	}

	added, err := lib.Load()
	if err != nil || len(added) != 4 {
		t.Fatalf("library holds %d documents, %v; want 4", len(added), err)
	}
	restart := newGated()
	ix2, info, err := rag.Build(t.Context(), append(seedDocs(t), added...), rag.BuildOptions{Embedder: restart, Tokens: tok, SnapshotPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if !info.Loaded || restart.calls.Load() != 0 {
		t.Errorf("restart: loaded=%v (%v), embedded %d texts; want everything from the snapshot", info.Loaded, info.Rebuilt, restart.calls.Load())
	}
	a, err := rag.NewEngine(ix2).Ask(t.Context(), rag.Request{Question: "赣州市2024年新建学校多少所?"})
	if err != nil || !strings.Contains(a.Answer, "99") {
		t.Errorf("after restart: %q, %v; want the replaced a1's 99", a.Answer, err)
	}
}

// TestBuildUnwritableSnapshot: a snapshot that cannot be saved is reported,
// and the index served.
func TestBuildUnwritableSnapshot(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	ix, info, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{
		Embedder: rag.NewHashEmbedder(0), Tokens: tok, SnapshotPath: filepath.Join(blocker, "index.bin"),
	})
	if err != nil {
		t.Fatalf("Build = %v, want the index without a saved snapshot", err)
	}
	if info.SaveErr == nil {
		t.Error("SaveErr = nil, want why the snapshot was not saved")
	}
	a, err := rag.NewEngine(ix).Ask(t.Context(), rag.Request{Question: "南昌义务教育巩固率是多少?"})
	if err != nil || !strings.Contains(a.Answer, "97.01") {
		t.Errorf("answer = %q, %v; want 97.01", a.Answer, err)
	}
}
