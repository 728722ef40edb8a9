package wechat

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newTestAPIClient(t *testing.T, api *fakeAPI, secret string) *apiClient {
	t.Helper()
	cfg, err := Config{Token: testToken, AppID: testAppID, AppSecret: secret, Mode: ModeCustomerService,
		APIBase: api.URL, HTTPClient: api.Client()}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return newAPIClient(cfg)
}

// TestExpiredToken: the API calls the cached token expired (42001); the client fetches a new
// one and sends again.
func TestExpiredToken(t *testing.T) {
	for _, code := range []string{"42001 expired", "40001 invalid"} {
		t.Run(code, func(t *testing.T) {
			api := newFakeAPI(t)
			c := newTestAPIClient(t, api, "test-secret")
			if code == "42001 expired" {
				api.expired["token-1"] = true
			} else {
				c.tokens.tok, c.tokens.renewAt = "revoked", time.Now().Add(time.Hour) // answered 40001
			}
			if err := c.sendText(t.Context(), "oCitizen", "您好"); err != nil {
				t.Fatalf("sendText: %v", err)
			}
			fetches, sends, sent := api.stats()
			wantFetches := 2
			if code != "42001 expired" {
				wantFetches = 1
			}
			if fetches != wantFetches || sends != 2 {
				t.Errorf("%d token fetches and %d sends, want %d and 2", fetches, sends, wantFetches)
			}
			if diff := cmp.Diff([]pushed{{"oCitizen", "您好"}}, sent); diff != "" {
				t.Errorf("sent = got, want want (-want +got):\n%s", diff)
			}
			// The new token is cached: the next message costs no fetch.
			if err := c.sendText(t.Context(), "oCitizen", "再见"); err != nil {
				t.Fatal(err)
			}
			if f, _, _ := api.stats(); f != fetches {
				t.Errorf("%d token fetches after another send, want %d", f, fetches)
			}
		})
	}
}

// TestConcurrentPushesShareRefresh: twenty pushes all meet the expired token at once; one
// fetch serves them all, and one refresh.
func TestConcurrentPushesShareRefresh(t *testing.T) {
	const n = 20
	api := newFakeAPI(t)
	api.expired["token-1"] = true
	// Every send with token-1 waits until all n have arrived, so all n see it expire together.
	api.held, api.holdN, api.hold = "token-1", n, make(chan struct{})
	c := newTestAPIClient(t, api, "test-secret")

	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = c.sendText(t.Context(), "oCitizen", "您好") })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("push %d: %v", i, err)
		}
	}
	fetches, sends, sent := api.stats()
	if fetches != 2 || sends != 2*n || len(sent) != n {
		t.Errorf("%d token fetches, %d sends, %d delivered; want 2, %d, %d", fetches, sends, len(sent), 2*n, n)
	}
}

func TestTokenCachedUntilExpiry(t *testing.T) {
	api := newFakeAPI(t)
	c := newTestAPIClient(t, api, "test-secret")
	now := time.Unix(1700000000, 0)
	c.tokens.now = func() time.Time { return now }
	steps := []struct {
		advance     time.Duration
		wantToken   string
		wantFetches int
	}{
		{0, "token-1", 1},
		{time.Hour, "token-1", 1},
		{7200*time.Second - refreshEarly - time.Hour - time.Second, "token-1", 1}, // just before renewal
		{2 * time.Second, "token-2", 2},                                           // 5 minutes before expiry
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		got, err := c.tokens.token(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if fetches, _, _ := api.stats(); got != s.wantToken || fetches != s.wantFetches {
			t.Errorf("at +%v: token %q after %d fetches, want %q after %d", s.advance, got, fetches, s.wantToken, s.wantFetches)
		}
	}
}

func TestTokenErrors(t *testing.T) {
	api := newFakeAPI(t)
	c := newTestAPIClient(t, api, "wrong-secret")
	err := c.sendText(t.Context(), "oCitizen", "您好")
	if err == nil || !strings.Contains(err.Error(), "40013") {
		t.Fatalf("sendText with a wrong secret: %v, want errcode 40013", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Errorf("error %q holds the secret", err)
	}
	if _, sends, _ := api.stats(); sends != 0 {
		t.Errorf("%d sends without a token, want 0", sends)
	}

	// An unreachable API: the error must not carry the access token in its URL.
	api2 := newFakeAPI(t)
	c2 := newTestAPIClient(t, api2, "test-secret")
	if _, err := c2.tokens.token(t.Context()); err != nil {
		t.Fatal(err)
	}
	api2.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	err = c2.sendText(ctx, "oCitizen", "您好")
	if err == nil || strings.Contains(err.Error(), "token-1") {
		t.Errorf("sendText to a closed server: %v, want an error without the token", err)
	}
}

func TestStaleToken(t *testing.T) {
	for code, want := range map[int]bool{40001: true, 40014: true, 42001: true, 45015: false, 48001: false} {
		if got := staleToken(&apiError{Code: code}); got != want {
			t.Errorf("staleToken(errcode %d) = %v, want %v", code, got, want)
		}
	}
}
