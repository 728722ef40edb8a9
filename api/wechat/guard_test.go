package wechat

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLongIDsRefused: 100 messages whose FromUserName is 45 KB are refused before any table
// holds them, and the heap does not grow by their size.
func TestLongIDsRefused(t *testing.T) {
	for _, acct := range []account{plainAccount, safeAccount} {
		a := &countingAnswerer{}
		h := newHandler(t, acct.config(ModePassive), a)
		long := strings.Repeat("o", 45<<10)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range 100 {
			rec := serve(h, acct.post(t, t.Context(), textMessage(long+strconv.Itoa(i), int64(1000+i), "南昌义务教育巩固率是多少")))
			if rec.Code != http.StatusOK || rec.Body.String() != "success" {
				t.Fatalf("message %d: %d %q, want a bare success", i, rec.Code, rec.Body.String())
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if a.calls.Load() != 0 {
			t.Errorf("the Answerer was called %d times", a.calls.Load())
		}
		h.flights.t.mu.Lock()
		flights := h.flights.t.len()
		h.flights.t.mu.Unlock()
		h.history.mu.Lock()
		users := len(h.history.users)
		h.history.mu.Unlock()
		if flights != 0 || users != 0 {
			t.Errorf("tables hold %d flights and %d histories, want none", flights, users)
		}
		if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 10<<20 {
			t.Errorf("heap grew by %d MB, want under 10", grew>>20)
		}
	}
	// Other malformed ids: markup, and a ToUserName as long.
	h := newHandler(t, plainAccount.config(ModePassive), &countingAnswerer{})
	for _, msg := range []string{
		textMessage("o<script>", 1, "问"),
		strings.Replace(textMessage("oCitizen", 2, "问"), "gh_test", strings.Repeat("g", 100), 1),
	} {
		if rec := serve(h, plainAccount.post(t, t.Context(), msg)); rec.Body.String() != "success" {
			t.Errorf("malformed ids: reply %q, want a bare success", rec.Body.String())
		}
	}
	// A well-formed OpenID is answered.
	rec := serve(h, plainAccount.post(t, t.Context(), textMessage("oAbc-123_xyz", 3, "问")))
	if got := plainAccount.reply(t, rec.Body.Bytes()).Content; got == "" {
		t.Error("a well-formed message got no reply")
	}
}

// TestReplayedURL: a signed URL carries the one body it came with. WeChat's retry of that
// body passes; another body on the same URL is refused.
func TestReplayedURL(t *testing.T) {
	a := &countingAnswerer{}
	h := newHandler(t, plainAccount.config(ModePassive), a)
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), "1234567"
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {refSign(testToken, ts, nonce)}}
	post := func(body string) *httptest.ResponseRecorder {
		return serve(h, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/wechat/mp?"+q.Encode(), strings.NewReader(body)))
	}
	first := textMessage("oCitizen", 1, "南昌义务教育巩固率是多少")
	for i, body := range []string{first, first} {
		if rec := post(body); rec.Code != http.StatusOK || plainAccount.reply(t, rec.Body.Bytes()).Content == "" {
			t.Fatalf("try %d: %d %q, want the answer", i+1, rec.Code, rec.Body.String())
		}
	}
	for i := range 3 {
		if rec := post(textMessage("oOther", int64(2+i), "九江呢")); rec.Code != http.StatusForbidden {
			t.Errorf("another body on the same URL: status %d, want 403", rec.Code)
		}
	}
	if n := a.calls.Load(); n != 1 {
		t.Errorf("Answerer called %d times, want 1", n)
	}
	// A malformed nonce is refused before anything is read.
	q.Set("nonce", strings.Repeat("9", 100))
	q.Set("signature", refSign(testToken, ts, q.Get("nonce")))
	if rec := post(first); rec.Code != http.StatusForbidden {
		t.Errorf("100-digit nonce: status %d, want 403", rec.Code)
	}
}

// TestReplaysBounded: entries leave when their timestamp expires, and the table never holds
// more than maxReplayEntries.
func TestReplaysBounded(t *testing.T) {
	rs := newReplays()
	now := time.Unix(1_700_000_000, 0)
	if !rs.check("1", "a", []byte("x"), now, now.Add(time.Minute)) || rs.check("1", "a", []byte("y"), now, now.Add(time.Minute)) {
		t.Fatal("a replay with another body passed")
	}
	later := now.Add(2 * time.Minute)
	if !rs.check("1", "a", []byte("y"), later, later.Add(time.Minute)) {
		t.Error("an expired entry still refuses")
	}
	for i := range maxReplayEntries + 10 {
		rs.check("2", strconv.Itoa(i), nil, later, later.Add(time.Minute))
	}
	if n := rs.t.len(); n > maxReplayEntries {
		t.Errorf("%d entries, want at most %d", n, maxReplayEntries)
	}
}

// TestLogDigestsSalted: the log's digest of an OpenID is not its plain SHA-256, and differs
// between processes.
func TestLogDigestsSalted(t *testing.T) {
	const openID = "oSaltedOpenID"
	plain := sha256.Sum256([]byte(openID))
	var seen []string
	for range 2 {
		log, logs := newLog()
		cfg := plainAccount.config(ModePassive)
		cfg.Logger = log
		h := newHandler(t, cfg, &countingAnswerer{})
		serve(h, plainAccount.post(t, t.Context(), textMessage(openID, 1, "问")))
		got := logs.String()
		if strings.Contains(got, hex.EncodeToString(plain[:6])) {
			t.Errorf("log holds the unsalted digest of the OpenID:\n%s", got)
		}
		seen = append(seen, h.digest(openID))
		if !strings.Contains(got, "user="+h.digest(openID)) {
			t.Errorf("log lacks the salted digest %s:\n%s", h.digest(openID), got)
		}
	}
	if seen[0] == seen[1] {
		t.Errorf("two handlers digest the OpenID alike (%s): not salted", seen[0])
	}
}
