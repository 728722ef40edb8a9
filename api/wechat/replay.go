package wechat

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"
)

// In plaintext mode the signature covers the URL's timestamp and nonce, not the body: one
// signed URL seen on the way (a proxy's log, a leaked trace) would otherwise carry any
// message for as long as its timestamp is fresh. So each (timestamp, nonce) is bound to the
// first body it came with, for as long as the timestamp is accepted. WeChat's retries of a
// message are the same body and still pass, and their MsgId joins them to one answer.
const maxReplayEntries = 100_000 // about 10 MB; WeChat sends far fewer callbacks in 10 minutes

// replays remembers the body digest of each (timestamp, nonce) seen within the window.
type replays struct {
	mu    sync.Mutex
	seen  map[string]*list.Element // of *replay
	order list.List                // oldest first
}

type replay struct {
	key     string
	body    [sha256.Size]byte
	expires time.Time
}

func newReplays() *replays { return &replays{seen: make(map[string]*list.Element)} }

// check records (ts, nonce) with body, and reports false if they came before with another
// body. expires is when the timestamp stops being accepted.
func (rs *replays) check(ts, nonce string, body []byte, now, expires time.Time) bool {
	sum := sha256.Sum256(body)
	key := ts + "|" + nonce
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for e := rs.order.Front(); e != nil; e = rs.order.Front() {
		r := e.Value.(*replay)
		if rs.order.Len() < maxReplayEntries && now.Before(r.expires) {
			break
		}
		rs.order.Remove(e)
		delete(rs.seen, r.key)
	}
	if e, ok := rs.seen[key]; ok {
		return e.Value.(*replay).body == sum
	}
	rs.seen[key] = rs.order.PushBack(&replay{key: key, body: sum, expires: expires})
	return true
}
