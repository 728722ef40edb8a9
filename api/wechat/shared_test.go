package wechat

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// memShared is the state replicas share (rag/postgres's tables), in memory; down makes
// every call fail as a database that cannot be reached does.
type memShared struct {
	mu      sync.Mutex
	claims  map[string]*string // nil until finished
	claimed map[string]bool
	hist    map[string][]Message
	down    bool
}

func newMemShared() *memShared {
	return &memShared{claims: map[string]*string{}, claimed: map[string]bool{}, hist: map[string][]Message{}}
}

var errSharedDown = errors.New("database down")

func (s *memShared) Claim(_ context.Context, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return false, errSharedDown
	}
	if s.claimed[key] {
		return false, nil
	}
	s.claimed[key] = true
	return true, nil
}

func (s *memShared) Finish(_ context.Context, key, reply string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errSharedDown
	}
	s.claims[key] = &reply
	return nil
}

func (s *memShared) Result(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return "", false, errSharedDown
	}
	if r := s.claims[key]; r != nil {
		return *r, true, nil
	}
	return "", false, nil
}

func (s *memShared) History(_ context.Context, user string) ([]Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return nil, errSharedDown
	}
	return append([]Message(nil), s.hist[user]...), nil
}

func (s *memShared) SetHistory(_ context.Context, user string, msgs []Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errSharedDown
	}
	s.hist[user] = msgs
	return nil
}

// replicas returns n Handlers sharing state, answering with a.
func replicas(t *testing.T, n int, cfg Config, shared *memShared, a Answerer) []*Handler {
	cfg.Claims, cfg.Conversations = shared, shared
	var hs []*Handler
	for range n {
		hs = append(hs, newHandler(t, cfg, a))
	}
	return hs
}

// TestTriesOnThreeReplicas sends WeChat's three tries of one message to three replicas at
// once: the model is called once and every try gets the same reply.
func TestTriesOnThreeReplicas(t *testing.T) {
	a := &countingAnswerer{delay: 200 * time.Millisecond}
	hs := replicas(t, 3, plainAccount.config(ModePassive), newMemShared(), a)
	var wg sync.WaitGroup
	got := make([]string, 3)
	for i, h := range hs {
		wg.Go(func() {
			rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oCitizen", 7001, question)))
			got[i] = plainAccount.reply(t, rec.Body.Bytes()).Content
		})
	}
	wg.Wait()
	if diff := cmp.Diff([]string{wantAnswer, wantAnswer, wantAnswer}, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if n := a.calls.Load(); n != 1 {
		t.Errorf("Answerer called %d times, want 1", n)
	}
}

// TestPushOnceAcrossReplicas: in customer-service mode the answer is pushed once, by the
// replica that claimed the message, and a retry on another replica answers "success".
func TestPushOnceAcrossReplicas(t *testing.T) {
	api := newFakeAPI(t)
	cfg := plainAccount.config(ModeCustomerService)
	cfg.APIBase, cfg.HTTPClient = api.URL, api.Client()
	a := &countingAnswerer{}
	hs := replicas(t, 2, cfg, newMemShared(), a)
	if got := serve(hs[0], plainAccount.post(t, t.Context(), textMessage("oCitizen", 7101, question))).Body.String(); got != "success" {
		t.Errorf("first try: %q, want success", got)
	}
	retry := serve(hs[1], plainAccount.post(t, t.Context(), textMessage("oCitizen", 7101, question)))
	if got := retry.Body.String(); got != "success" {
		t.Errorf("retry on another replica: %q, want success", got)
	}
	for _, h := range hs {
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, sent := api.stats(); len(sent) != 1 || a.calls.Load() != 1 {
		t.Errorf("pushed %d messages after %d answers, want 1 and 1", len(sent), a.calls.Load())
	}
}

// TestSharedHistory: a follow-up that lands on another replica has its conversation.
func TestSharedHistory(t *testing.T) {
	var mu sync.Mutex
	var got []Message
	hs := replicas(t, 2, plainAccount.config(ModePassive), newMemShared(), AnswererFunc(func(_ context.Context, q string, hist []Message) (Reply, error) {
		mu.Lock()
		defer mu.Unlock()
		got = hist
		return Reply{Text: "答:" + q, Answered: true}, nil
	}))
	serve(hs[0], plainAccount.post(t, t.Context(), textMessage("oAlice", 1, "南昌义务教育巩固率是多少?")))
	serve(hs[1], plainAccount.post(t, t.Context(), textMessage("oAlice", 2, "那九江呢?")))
	want := []Message{{RoleUser, "南昌义务教育巩固率是多少?"}, {RoleAssistant, "答:南昌义务教育巩固率是多少?"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history on the other replica (-want +got):\n%s", diff)
	}
}

// TestSharedStateDown: with the database down each replica answers on its own, de-duplicates
// its own tries, and says so in the log.
func TestSharedStateDown(t *testing.T) {
	shared := newMemShared()
	shared.down = true
	log, buf := newLog()
	cfg := plainAccount.config(ModePassive)
	cfg.Logger = log
	a := &countingAnswerer{}
	hs := replicas(t, 2, cfg, shared, a)
	for range 2 {
		rec := serve(hs[0], plainAccount.post(t, t.Context(), textMessage("oCitizen", 7201, question)))
		if got := plainAccount.reply(t, rec.Body.Bytes()).Content; got != wantAnswer {
			t.Errorf("reply with the database down: %q", got)
		}
	}
	if n := a.calls.Load(); n != 1 {
		t.Errorf("Answerer called %d times for two tries on one replica, want 1", n)
	}
	if !strings.Contains(buf.String(), "de-duplicating per process") {
		t.Errorf("log does not say the claims fell back:\n%s", buf)
	}
}
