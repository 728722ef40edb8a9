package wechat

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestHistoriesExpire(t *testing.T) {
	h := newHistories()
	now := time.Unix(1700000000, 0)
	h.add("oA", now, "南昌义务教育巩固率是多少?", "97.01%")
	if got := h.get("oA", now.Add(historyIdle)); len(got) != 2 {
		t.Errorf("history after %v idle: %d messages, want 2", historyIdle, len(got))
	}
	if got := h.get("oA", now.Add(historyIdle+time.Second)); got != nil {
		t.Errorf("history after %v idle: %v, want none", historyIdle+time.Second, got)
	}
	// A new question after the idle time starts afresh.
	h.add("oB", now, "q1", "a1")
	h.add("oB", now.Add(time.Hour), "q2", "a2")
	if got := h.get("oB", now.Add(time.Hour)); len(got) != 2 || got[0].Content != "q2" {
		t.Errorf("history after a break: %v, want only q2 and a2", got)
	}
}

func TestHistoriesBounded(t *testing.T) {
	h := newHistories()
	now := time.Unix(1700000000, 0)
	for i := range maxHistoryUsers + 10 {
		h.add(fmt.Sprintf("o%d", i), now.Add(time.Duration(i)*time.Millisecond), "q", "a")
	}
	if n := len(h.users); n != maxHistoryUsers || h.lru.Len() != maxHistoryUsers {
		t.Errorf("%d users kept (list %d), want %d", n, h.lru.Len(), maxHistoryUsers)
	}
	if h.get("o0", now) != nil || h.get("o9", now) != nil || h.get(fmt.Sprintf("o%d", maxHistoryUsers+9), now) == nil {
		t.Error("eviction did not drop the least recently active users first")
	}
	long := strings.Repeat("教", 1000)
	h.add("oLong", now, long, long)
	for _, m := range h.get("oLong", now) {
		if len(m.Content) > maxHistoryBytes || !utf8.ValidString(m.Content) {
			t.Errorf("kept a message of %d bytes, want at most %d of valid UTF-8", len(m.Content), maxHistoryBytes)
		}
	}
}

func TestFlights(t *testing.T) {
	fs := newFlights()
	now := time.Unix(1700000000, 0)
	a, try := fs.join("o|1", now)
	if try != 1 {
		t.Fatalf("first join: try %d, want 1", try)
	}
	for want := 2; want <= 3; want++ {
		if f, try := fs.join("o|1", now.Add(5*time.Second)); f != a || try != want {
			t.Errorf("retry: try %d, same flight %v; want try %d of the same flight", try, f == a, want)
		}
	}
	if f, try := fs.join("o|1", now.Add(flightTTL+time.Second)); f == a || try != 1 {
		t.Errorf("join after the TTL: try %d, same flight %v; want a new flight", try, f == a)
	}
	for i := range maxFlights + 10 {
		fs.join(fmt.Sprintf("o|%d", i+100), now.Add(flightTTL+2*time.Second))
	}
	if n := fs.t.len(); n > maxFlights || fs.t.order.Len() != n {
		t.Errorf("%d flights kept (list %d), want at most %d", n, fs.t.order.Len(), maxFlights)
	}
}

func TestMessageKey(t *testing.T) {
	msg := message{FromUserName: "oA", MsgID: 6054768590064713728, CreateTime: 1409735668}
	event := message{FromUserName: "oA", CreateTime: 1409735668, MsgType: "event"}
	if msg.key() == event.key() || msg.key() != "oA|6054768590064713728" {
		t.Errorf("keys %q and %q, want the MsgId for messages and a distinct key for events", msg.key(), event.key())
	}
}
