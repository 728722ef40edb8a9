package rag_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wenda/rag"
)

func seedEngine(t testing.TB, opt rag.BuildOptions) *rag.Engine {
	t.Helper()
	if opt.Embedder == nil {
		opt.Embedder = rag.NewHashEmbedder(0)
	}
	opt.Tokens = tok
	ix, _, err := rag.Build(context.Background(), seedDocs(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rag.NewEngine(ix)
}

func TestAskScopes(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	tests := []struct {
		question     string
		wantAnswered bool
		wantIn       []string
		wantNot      []string
	}{
		{"南昌义务教育巩固率是多少", true, []string{"97.01", "南昌"}, []string{"98.6"}},
		{"2025年南昌义务教育巩固率目标是多少?", true, []string{"97.68"}, []string{"96%"}},
		{"九江学前三年毛入园率是多少", true, []string{"98.6"}, []string{"86.85"}},
		{"巴中2027年义务教育巩固率要达到多少", true, []string{"98%"}, nil},
		{"九江义务教育巩固率是多少", false, nil, []string{"97.01"}},
		{"上海市义务教育巩固率是多少", false, nil, []string{"97.01"}},
		{"江西省义务教育巩固率是多少", false, nil, []string{"97.01"}},
		{"2018年南昌义务教育巩固率是多少", false, nil, []string{"97.01", "96%"}},
		{"南昌人均GDP是多少", false, nil, nil},
	}
	for _, tt := range tests {
		a, err := e.Ask(t.Context(), rag.Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		// A refusal may offer the figures of other years after the
		// marker: what is stated as the answer is the part before it.
		stated, related, offered := strings.Cut(a.Answer, rag.RelatedMarker)
		if !a.Answered && offered {
			a.Answer = stated
			if len(a.Sources) == 0 || !strings.Contains(related, "[1]") {
				t.Errorf("Ask(%q) offers related figures %q without citing them", tt.question, related)
			}
			a.Sources = nil
		}
		if a.Answered != tt.wantAnswered {
			t.Errorf("Ask(%q).Answered = %v, want %v (answer %q)", tt.question, a.Answered, tt.wantAnswered, a.Answer)
		}
		for _, w := range tt.wantIn {
			if !strings.Contains(a.Answer, w) {
				t.Errorf("Ask(%q) = %q, want it to hold %q", tt.question, a.Answer, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(a.Answer, w) {
				t.Errorf("Ask(%q) = %q, must not hold %q", tt.question, a.Answer, w)
			}
		}
		if a.Answered && len(a.Sources) == 0 {
			t.Errorf("Ask(%q) answered without sources", tt.question)
		}
		if !a.Answered && (len(a.Sources) != 0 || !strings.HasPrefix(a.Answer, "抱歉")) {
			t.Errorf("Ask(%q) refusal = %q with %d sources, want the fixed reply and none", tt.question, a.Answer, len(a.Sources))
		}
	}
}

func TestStandalone(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	hist := func(qs ...string) []rag.Message {
		var out []rag.Message
		for _, q := range qs {
			out = append(out, rag.Message{Role: "user", Content: q}, rag.Message{Role: "assistant", Content: "……"})
		}
		return out
	}
	tests := []struct {
		history  []rag.Message
		question string
		want     string
	}{
		{nil, "南昌义务教育巩固率是多少", "南昌义务教育巩固率是多少"},
		{hist("南昌义务教育巩固率是多少"), "那九江呢?", "九江义务教育巩固率是多少?"},
		{hist("南昌义务教育巩固率是多少"), "那2025年的目标呢?", "南昌2025年义务教育巩固率目标是多少?"},
		{hist("2020年南昌学前三年毛入园率是多少?"), "那九江呢?", "九江学前三年毛入园率是多少?"},
		{hist("南昌义务教育巩固率是多少", "那九江呢?"), "巴中呢", "巴中义务教育巩固率是多少?"},
		{hist("南昌义务教育巩固率是多少"), "九江学前三年毛入园率是多少", "九江学前三年毛入园率是多少"},
		// One of a kind named after another of the same kind takes its place.
		{hist("南昌2021年小学生均公用经费标准是多少?"), "那普高呢?", "南昌2021年普高生均公用经费标准是多少?"},
		{hist("九江国家级体育特色学校有多少所"), "省级的呢?", "九江省级体育特色学校是多少?"},
		// A change to another year is the change between the two years.
		{hist("南昌2015年一般公共预算教育经费是多少?"), "到2020年增长了多少?", "南昌2015年到2020年一般公共预算教育经费增长了多少?"},
	}
	for _, tt := range tests {
		if got := e.Standalone(rag.Request{Question: tt.question, History: tt.history}); got != tt.want {
			t.Errorf("Standalone(%q after %d messages) = %q, want %q", tt.question, len(tt.history), got, tt.want)
		}
	}
}

func TestRequestValidate(t *testing.T) {
	tests := []struct {
		req  rag.Request
		want error
	}{
		{rag.Request{Question: " "}, rag.ErrEmptyQuestion},
		{rag.Request{Question: strings.Repeat("问", 501)}, rag.ErrQuestionTooLong},
		{rag.Request{Question: "问", History: make([]rag.Message, 21)}, rag.ErrHistoryTooLong},
		{rag.Request{Question: "问", History: []rag.Message{{Role: "system", Content: "x"}}}, rag.ErrInvalidHistory},
		{rag.Request{Question: strings.Repeat("问", 500)}, nil},
	}
	for _, tt := range tests {
		if got := tt.req.Validate(); !errors.Is(got, tt.want) {
			t.Errorf("Validate(%d runes, %d history) = %v, want %v", len([]rune(tt.req.Question)), len(tt.req.History), got, tt.want)
		}
	}
}

// countingEmbedder counts the texts it embeds, to tell a loaded index from a
// rebuilt one.
type countingEmbedder struct {
	rag.HashEmbedder
	n int
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.n += len(texts)
	return c.HashEmbedder.Embed(ctx, texts)
}

func (c *countingEmbedder) Name() string { return c.HashEmbedder.Name() }

func TestBuildSnapshot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.bin")
	build := func() (*countingEmbedder, rag.BuildInfo) {
		emb := &countingEmbedder{HashEmbedder: *rag.NewHashEmbedder(0)}
		_, info, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: emb, Tokens: tok, SnapshotPath: path})
		if err != nil {
			t.Fatal(err)
		}
		return emb, info
	}
	first, info := build()
	if info.Loaded || first.n == 0 {
		t.Fatalf("first build: loaded=%v embedded=%d, want a rebuild", info.Loaded, first.n)
	}
	second, info := build()
	if !info.Loaded || second.n > 1 {
		t.Errorf("second build: loaded=%v embedded=%d, want the snapshot loaded without embedding chunks", info.Loaded, second.n)
	}
	// A truncated snapshot is detected and rebuilt, never served.
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	third, info := build()
	if info.Loaded || info.Rebuilt == nil || third.n == 0 {
		t.Errorf("truncated snapshot: loaded=%v reason=%v embedded=%d, want a rebuild", info.Loaded, info.Rebuilt, third.n)
	}
	// A flipped byte in the middle likewise.
	raw, _ = os.ReadFile(path)
	raw[len(raw)/2] ^= 0xff
	os.WriteFile(path, raw, 0o644)
	if _, info = build(); info.Loaded {
		t.Error("corrupted snapshot was loaded")
	}
	// Another embedder rebuilds.
	_, info2, err := rag.Build(t.Context(), seedDocs(t), rag.BuildOptions{Embedder: rag.NewHashEmbedder(256), Tokens: tok, SnapshotPath: path})
	if err != nil || info2.Loaded {
		t.Errorf("changed embedder: loaded=%v err=%v, want a rebuild", info2.Loaded, err)
	}
}

func TestIndexAddRemove(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	doc := rag.Document{ID: "ganzhou-2024", Title: "赣州市教育统计公报", City: "赣州市", Province: "江西省", Published: "2024",
		Text: "2024年,赣州市义务教育巩固率达到96.5%,学前三年毛入园率达到91.2%。"}
	if a, _ := e.Ask(t.Context(), rag.Request{Question: "赣州义务教育巩固率是多少"}); a.Answered {
		t.Fatalf("before adding: %q, want a refusal", a.Answer)
	}
	if err := e.Index().Add(t.Context(), doc); err != nil {
		t.Fatal(err)
	}
	e.Refresh()
	a, _ := e.Ask(t.Context(), rag.Request{Question: "赣州义务教育巩固率是多少"})
	if !a.Answered || !strings.Contains(a.Answer, "96.5") || a.Sources[0].DocID != doc.ID {
		t.Errorf("after adding: %q %+v, want 96.5 from %s", a.Answer, a.Sources, doc.ID)
	}
	if err := e.Index().Remove(t.Context(), doc.ID); err != nil {
		t.Fatal(err)
	}
	e.Refresh()
	if a, _ := e.Ask(t.Context(), rag.Request{Question: "赣州义务教育巩固率是多少"}); a.Answered {
		t.Errorf("after removing: %q, want a refusal", a.Answer)
	}
	if err := e.Index().Remove(t.Context(), doc.ID); !errors.Is(err, rag.ErrDocumentNotFound) {
		t.Errorf("removing twice = %v, want ErrDocumentNotFound", err)
	}
}

func TestLoadDirExtraSeeds(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("赣州市2024年新增学位1.2万个。"), 0o644)
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`[{"file":"a.txt","id":"gz","title":"赣州","city":"赣州市","province":"江西省","published":"2024-05-01 (note)"}]`), 0o644)
	docs, err := rag.LoadDir(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Published != "2024-05-01" || docs[0].ID != "gz" {
		t.Errorf("LoadDir = %+v, want one document gz published 2024-05-01", docs)
	}
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`[{"file":"missing.txt","id":"x","title":"x"}]`), 0o644)
	if _, err := rag.LoadDir(os.DirFS(dir)); err == nil {
		t.Error("LoadDir with a missing file succeeded")
	}
}

func TestHashEmbedderNormalised(t *testing.T) {
	vecs, _ := rag.NewHashEmbedder(0).Embed(t.Context(), []string{"义务教育巩固率达到97.01%", "x"})
	for i, v := range vecs {
		var sum float64
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		if sum < 0.999 || sum > 1.001 {
			t.Errorf("vector %d has squared norm %f, want 1", i, sum)
		}
	}
}

// TestAskTwiceSameShape: an answer served again (from the answer cache)
// encodes exactly as the first, with "sources": [] for a refusal.
func TestAskTwiceSameShape(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	for _, q := range []string{"上海市义务教育巩固率是多少", "南昌义务教育巩固率是多少"} {
		var bodies []string
		for range 2 {
			a, err := e.Ask(t.Context(), rag.Request{Question: q})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(a)
			bodies = append(bodies, string(raw))
		}
		if bodies[0] != bodies[1] || strings.Contains(bodies[0], `"sources":null`) {
			t.Errorf("Ask(%q) twice = %s then %s, want the same with sources as a list", q, bodies[0], bodies[1])
		}
	}
}

// TestTableSourceIsTheRow: an answer from a table cites the row's statement,
// not the whole table.
func TestTableSourceIsTheRow(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	a, err := e.Ask(t.Context(), rag.Request{Question: "2025年南昌义务教育巩固率目标是多少?"})
	if err != nil {
		t.Fatal(err)
	}
	want := "表2 南昌市“十四五”时期教育事业发展主要目标 · 九年义务教育 · 巩固率:2020年97.01%,2025年97.68%"
	if len(a.Sources) == 0 || a.Sources[0].Text != want {
		t.Errorf("sources = %+v, want the 表2 row %q first", a.Sources, want)
	}
}

// One mistyped character is repaired from what the passages put between
// its neighbours, and the answer names the question it answered; a word no
// document holds is never "repaired" into another.
func TestTypoRepair(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	tests := []struct {
		question, want, standalone string
	}{
		{"南昌义务教育巩因率2025年目标是多少", "97.68", "巩固率"},
		{"九江学前三年毛入圆率是多少", "98.6", "毛入园率"},
		{"2020年南昌普会性覆盖率是多少", "88.1", "普惠性"},
	}
	for _, tt := range tests {
		a, err := e.Ask(t.Context(), rag.Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answered || !strings.Contains(a.Answer, tt.want) || !strings.Contains(a.Question, tt.standalone) {
			t.Errorf("Ask(%q) = %v %q (question %q), want %s answered as a question about %s", tt.question, a.Answered, a.Answer, a.Question, tt.want, tt.standalone)
		}
	}
	a, err := e.Ask(t.Context(), rag.Request{Question: "南昌的学费是多少"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Answered {
		t.Errorf("Ask(学费) = %q, want a refusal: no document speaks of fees", a.Answer)
	}
}

// Yes/no questions are answered from the figure that names what was asked,
// against the citizen's threshold; a goal is said to be a goal.
func TestYesNoVerdicts(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	tests := []struct {
		question string
		wantIn   []string
		wantNot  []string
	}{
		{"巴中2024年新增学位超过5000个了吗", []string{"目标", "6500个", "超过了5000个"}, []string{"目标86个", "是，"}},
		{"南昌2020年义务教育巩固率超过98%了吗", []string{"否", "97.01%", "没有超过98%"}, []string{"是，"}},
		{"2020年南昌幼儿在园人数有没有超过20万人", []string{"是", "20.2万人"}, []string{"否，"}},
		// No year asked: the latest result answers, named by its year,
		// not the earlier one its table row gives first.
		{"南昌的幼儿在园人数过了15万没有", []string{"是，2020年20.2万人"}, []string{"否，"}},
		// A year typed without 年, a share written 百分之 and digits.
		{"2015南昌学前三年毛入园率有没有到百分之70", []string{"否，66.8%，没有达到70%"}, []string{"是，"}},
		// Thresholds in numerals, between 有 and 没有, and people counted by 个.
		{"南昌2020年巩固率达到九十七点五了没有", []string{"否，97.01%", "没有达到97.5%"}, []string{"是，"}},
		{"南昌2020年在园的幼儿有二十万没有", []string{"是，20.2万人", "达到了20万"}, []string{"否，"}},
		{"九江这五年引进的教师有没有一万个", []string{"否，9398名"}, []string{"是，"}},
	}
	for _, tt := range tests {
		a, err := e.Ask(t.Context(), rag.Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.wantIn {
			if !strings.Contains(a.Answer, w) {
				t.Errorf("Ask(%q) = %q, want it to hold %q", tt.question, a.Answer, w)
			}
		}
		for _, w := range tt.wantNot {
			if strings.Contains(a.Answer, w) {
				t.Errorf("Ask(%q) = %q, must not hold %q", tt.question, a.Answer, w)
			}
		}
	}
}

// "How many are there" is never answered with what a programme or a flow
// counted, nor with a count inside a compound of another meaning; a year
// the citizen states a figure for is context, not the time asked.
func TestStocksFlowsAndContext(t *testing.T) {
	e := seedEngine(t, rag.BuildOptions{})
	tests := []struct {
		question string
		answered bool
		wantIn   string
		wantNot  []string
	}{
		{"九江有多少名老师", false, "", []string{"9398", "4537"}},
		{"巴中的大学有几所", false, "", []string{"3个"}},
		{"九江有多少所小学", false, "", []string{"21所", "26所"}},
		{"九江五年引进了多少老师", true, "9398", nil},
		{"南昌省级普通高中特色学校2020年才4所,现在有多少所了?", true, "10所", []string{"共有4所"}},
	}
	for _, tt := range tests {
		a, err := e.Ask(t.Context(), rag.Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		stated, _, _ := strings.Cut(a.Answer, rag.RelatedMarker)
		if a.Answered != tt.answered || !strings.Contains(a.Answer, tt.wantIn) {
			t.Errorf("Ask(%q) = %v %q, want answered %v holding %q", tt.question, a.Answered, a.Answer, tt.answered, tt.wantIn)
		}
		for _, w := range tt.wantNot {
			if strings.Contains(stated, w) {
				t.Errorf("Ask(%q) = %q, must not state %q", tt.question, a.Answer, w)
			}
		}
	}
}
