package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenda/rag"
	"wenda/rag/postgres"
	"wenda/rag/postgres/pgtest"
)

// TestPostgres runs the package's tests on one throwaway server, each in a database of its
// own; the one that stops the server runs last.
func TestPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	tests := []struct {
		name string
		f    func(*testing.T, *pgtest.Server)
	}{
		{"migrations concurrent", testMigrationsConcurrent},
		{"replicas follow the feed", testReplicasFollowTheFeed},
		{"replica catches up at start", testReplicaCatchesUpAtStart},
		{"empty database adopts local documents", testEmptyDatabaseAdoptsLocalDocuments},
		{"shared rate limit", testSharedRateLimit},
		{"claims and history", testClaims},
		{"unanswered questions", testUnanswered},
		{"database down", testDatabaseDown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.f(t, srv.Database(t)) })
	}
}

func open(t *testing.T, srv *pgtest.Server) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if err := st.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	return st
}

// fakeLocal is a replica's local copy in memory.
type fakeLocal struct {
	mu      sync.Mutex
	docs    map[string]rag.Document
	builtin map[string]bool
}

func newFakeLocal(builtin ...string) *fakeLocal {
	l := &fakeLocal{docs: map[string]rag.Document{}, builtin: map[string]bool{}}
	for _, id := range builtin {
		l.builtin[id] = true
		l.docs[id] = rag.Document{ID: id, Title: id, Text: id}
	}
	return l
}

func (l *fakeLocal) List() []rag.DocumentInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []rag.DocumentInfo
	for _, d := range l.docs {
		out = append(out, rag.DocumentInfo{ID: d.ID, Title: d.Title, Added: !l.builtin[d.ID], Bytes: len(d.Text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (l *fakeLocal) Add(_ context.Context, d rag.Document) (rag.DocumentInfo, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.builtin[d.ID] {
		return rag.DocumentInfo{}, rag.ErrInvalidDocument
	}
	l.docs[d.ID] = d
	return rag.DocumentInfo{ID: d.ID}, nil
}

func (l *fakeLocal) Remove(_ context.Context, id string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.docs[id]; !ok {
		return rag.ErrDocumentNotFound
	}
	delete(l.docs, id)
	return nil
}

func (l *fakeLocal) texts() map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]string{}
	for id, d := range l.docs {
		if !l.builtin[id] {
			out[id] = d.Text
		}
	}
	return out
}

func doc(id, text string) rag.Document {
	return rag.Document{ID: id, Title: "标题" + id, City: "赣州市", Published: "2024", Text: text}
}

func testMigrationsConcurrent(t *testing.T, srv *pgtest.Server) {
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for range 6 {
		wg.Go(func() {
			st, err := postgres.Open(srv.URL, nil)
			if err != nil {
				errs <- err
				return
			}
			defer st.Close()
			errs <- st.Ping(t.Context())
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Ping during concurrent start = %v", err)
		}
	}
	st := open(t, srv)
	if head, err := st.Head(t.Context()); err != nil || head != 0 {
		t.Errorf("Head() = %d, %v; want 0, nil", head, err)
	}
}

func testReplicasFollowTheFeed(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	a, b := newFakeLocal("seed"), newFakeLocal("seed")
	ra := postgres.NewReplica(open(t, srv), a, nil, filepath.Join(t.TempDir(), "feed.seq"), nil)
	rb := postgres.NewReplica(open(t, srv), b, nil, filepath.Join(t.TempDir(), "feed.seq"), nil)
	for _, r := range []*postgres.Replica{ra, rb} {
		if err := r.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	followCtx, stop := context.WithCancel(ctx)
	defer stop()
	go rb.Follow(followCtx, time.Second)

	if _, err := ra.Add(ctx, doc("d1", "一")); err != nil {
		t.Fatal(err)
	}
	if _, err := ra.Add(ctx, doc("d2", "二")); err != nil {
		t.Fatal(err)
	}
	if _, err := ra.Add(ctx, doc("d1", "一改")); err != nil {
		t.Fatal(err)
	}
	if err := ra.Remove(ctx, "d2"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"d1": "一改"}
	if diff := cmp.Diff(want, a.texts()); diff != "" {
		t.Errorf("writer's copy (-want +got):\n%s", diff)
	}
	// Notified, b applies within the notification's round trip.
	waitFor(t, time.Second, func() bool { return cmp.Equal(want, b.texts()) })
	if got, want := rb.Applied(), ra.Applied(); got != want {
		t.Errorf("b applied %d, a %d", got, want)
	}

	if err := ra.Remove(ctx, "nope"); !errors.Is(err, rag.ErrDocumentNotFound) {
		t.Errorf("Remove(unknown) = %v, want ErrDocumentNotFound", err)
	}
	if err := ra.Remove(ctx, "seed"); !errors.Is(err, rag.ErrReadOnlyDocument) {
		t.Errorf("Remove(built-in) = %v, want ErrReadOnlyDocument", err)
	}
	if _, err := ra.Add(ctx, doc("seed", "x")); !errors.Is(err, rag.ErrInvalidDocument) {
		t.Errorf("Add(built-in id) = %v, want ErrInvalidDocument", err)
	}
}

func testReplicaCatchesUpAtStart(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	writer := postgres.NewReplica(open(t, srv), newFakeLocal(), nil, filepath.Join(t.TempDir(), "feed.seq"), nil)
	if err := writer.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	seqPath := filepath.Join(t.TempDir(), "feed.seq")
	local := newFakeLocal()
	r := postgres.NewReplica(open(t, srv), local, nil, seqPath, nil)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := writer.Add(ctx, doc(fmt.Sprintf("d%d", i), "文本")); err != nil {
			t.Fatal(err)
		}
	}
	// Stopped meanwhile; restarted from its saved position, with its copy.
	if err := writer.Remove(ctx, "d0"); err != nil {
		t.Fatal(err)
	}
	r = postgres.NewReplica(open(t, srv), local, nil, seqPath, nil)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"d1": "文本", "d2": "文本", "d3": "文本", "d4": "文本"}
	if diff := cmp.Diff(want, local.texts()); diff != "" {
		t.Errorf("after restart (-want +got):\n%s", diff)
	}
	// A new replica with a stale copy and no position takes the snapshot.
	stale := newFakeLocal()
	stale.Add(ctx, doc("gone", "旧"))
	fresh := postgres.NewReplica(open(t, srv), stale, nil, filepath.Join(t.TempDir(), "feed.seq"), nil)
	if err := fresh.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, stale.texts()); diff != "" {
		t.Errorf("fresh replica (-want +got):\n%s", diff)
	}
}

func testEmptyDatabaseAdoptsLocalDocuments(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	local := newFakeLocal()
	local.Add(ctx, doc("mine", "我的"))
	r := postgres.NewReplica(open(t, srv), local, []rag.Document{doc("mine", "我的")}, filepath.Join(t.TempDir(), "feed.seq"), nil)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	docs, head, err := open(t, srv).Snapshot(ctx)
	if err != nil || head != 1 || len(docs) != 1 || docs[0].Text != "我的" {
		t.Errorf("Snapshot() = %v, %d, %v; want the adopted document at 1", docs, head, err)
	}
}

func testSharedRateLimit(t *testing.T, srv *pgtest.Server) {
	a, b := open(t, srv), open(t, srv)
	allowed := 0
	for i := range 12 {
		st := a
		if i%2 == 1 {
			st = b
		}
		wait, err := st.Take(t.Context(), "198.51.100.7", 6)
		if err != nil {
			t.Fatal(err)
		}
		if wait == 0 {
			allowed++
		} else if wait > 11*time.Second {
			t.Errorf("wait %v, want at most 10s at 6/min", wait)
		}
	}
	if allowed != 6 {
		t.Errorf("12 takes at 6/min over two stores: %d allowed, want 6", allowed)
	}
	if wait, err := a.Take(t.Context(), "198.51.100.8", 6); err != nil || wait != 0 {
		t.Errorf("another client: wait %v, %v; want its own budget", wait, err)
	}
}

func testClaims(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	a, b := open(t, srv), open(t, srv)
	first, err := a.Claim(ctx, "gh_x|oUser|42")
	if err != nil || !first {
		t.Fatalf("first Claim = %v, %v", first, err)
	}
	if again, err := b.Claim(ctx, "gh_x|oUser|42"); err != nil || again {
		t.Fatalf("second Claim = %v, %v; want false", again, err)
	}
	if _, done, err := b.Result(ctx, "gh_x|oUser|42"); err != nil || done {
		t.Errorf("Result before Finish: done %v, %v", done, err)
	}
	if err := a.Finish(ctx, "gh_x|oUser|42", "答复"); err != nil {
		t.Fatal(err)
	}
	if reply, done, err := b.Result(ctx, "gh_x|oUser|42"); err != nil || !done || reply != "答复" {
		t.Errorf("Result = %q, %v, %v; want 答复", reply, done, err)
	}
	turns := []postgres.Turn{{Role: "user", Content: "问"}, {Role: "assistant", Content: "答"}}
	if err := a.SetHistory(ctx, "gh_x|oUser", turns); err != nil {
		t.Fatal(err)
	}
	got, err := b.History(ctx, "gh_x|oUser", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(turns, got); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if err := a.Expire(ctx); err != nil {
		t.Errorf("Expire = %v", err)
	}
}

func testDatabaseDown(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	st := open(t, srv)
	r := postgres.NewReplica(st, newFakeLocal(), nil, filepath.Join(t.TempDir(), "feed.seq"), nil)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	followCtx, stop := context.WithCancel(ctx)
	defer stop()
	go r.Follow(followCtx, 200*time.Millisecond)

	srv.Stop()
	waitFor(t, 5*time.Second, func() bool { return !st.Up() })
	if _, err := r.Add(ctx, doc("d1", "一")); !errors.Is(err, rag.ErrUnavailable) {
		t.Errorf("Add while down = %v, want ErrUnavailable", err)
	}
	start := time.Now()
	if _, err := st.Take(ctx, "k", 6); !errors.Is(err, rag.ErrUnavailable) {
		t.Errorf("Take while down = %v, want ErrUnavailable", err)
	}
	if _, err := st.Claim(ctx, "k"); !errors.Is(err, rag.ErrUnavailable) {
		t.Errorf("Claim while down = %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("shared calls while down took %v: they must not wait on the database", d)
	}

	srv.StartAgain()
	waitFor(t, 10*time.Second, st.Up)
	if _, err := r.Add(ctx, doc("d1", "一")); err != nil {
		t.Errorf("Add after the database returned = %v", err)
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("condition not met within %v", d)
}

func testUnanswered(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	a, b := open(t, srv), open(t, srv)
	for _, q := range []string{"赣州生均经费是多少", "上饶学位多少", "赣州生均经费是多少"} {
		if err := a.RecordUnanswered(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.RecordUnanswered(ctx, "赣州生均经费是多少"); err != nil {
		t.Fatal(err)
	}
	got, err := b.Unanswered(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []postgres.UnansweredCount{{Text: "赣州生均经费是多少", Count: 3}, {Text: "上饶学位多少", Count: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Unanswered (-want +got):\n%s", diff)
	}
	if err := a.ClearUnanswered(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Unanswered(ctx); err != nil || len(got) != 0 {
		t.Errorf("after Clear: %v, %v", got, err)
	}
}
