package wechat

import (
	"crypto/sha256"
	"time"
)

// In plaintext mode the signature covers the URL's timestamp and nonce, not the body: one
// signed URL seen on the way (a proxy's log, a leaked trace) would otherwise carry any
// message for as long as its timestamp is fresh. So each (timestamp, nonce) is bound to the
// first body it came with, for as long as the timestamp is accepted. WeChat's retries of a
// message are the same body and still pass, and their MsgId joins them to one answer.
const maxReplayEntries = 100_000 // about 10 MB; WeChat sends far fewer callbacks in 10 minutes

// replays remembers the body digest of each (timestamp, nonce) seen within the window.
type replays struct{ t *table[[sha256.Size]byte] }

func newReplays() *replays { return &replays{newTable[[sha256.Size]byte](maxReplayEntries)} }

// check records (ts, nonce) with body, and reports false if they came before with another
// body. expires is when the timestamp stops being accepted.
func (rs *replays) check(ts, nonce string, body []byte, now, expires time.Time) bool {
	sum := sha256.Sum256(body)
	key := ts + "|" + nonce
	rs.t.mu.Lock()
	defer rs.t.mu.Unlock()
	if seen, ok := rs.t.get(key, now); ok {
		return seen == sum
	}
	rs.t.add(key, sum, expires)
	return true
}
