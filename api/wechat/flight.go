package wechat

import (
	"time"
)

// WeChat re-sends a message it got no reply to within 5 s, three tries in all, with the same
// MsgId. A retry must not start a second answer: that would double the load exactly when the
// Answerer is already too slow, and in customer-service mode push the answer twice. So every
// message gets one flight, keyed by MsgId, which its retries join; it keeps the reply for
// flightTTL, far longer than WeChat's 15 s of retries, and at most maxFlights of them.
const (
	flightTTL  = 5 * time.Minute
	maxFlights = 4096 // each holds at most one message of maxMessageBytes: under 10 MB
)

// flights is a bounded, expiring table of flights by message key.
type flights struct{ t *table[*flight] }

// flight is the making of the answer to one message.
type flight struct {
	start time.Time     // arrival of the first try
	tries int           // tries seen so far, guarded by flights.t.mu
	done  chan struct{} // closed once reply is set
	// reply is the text to send passively to any try still waiting or still to come. In
	// customer-service mode it is empty once the answer was pushed, and holds the answer when
	// the push failed (see Handler.push).
	reply string
	// published, when set, shares the reply with the other replicas once it is made.
	published func(reply string)
}

func newFlights() *flights { return &flights{newTable[*flight](maxFlights)} }

// join returns the flight of key, creating it if this is the message's first try, and the
// number of this try (1 for the first).
func (fs *flights) join(key string, now time.Time) (f *flight, try int) {
	fs.t.mu.Lock()
	defer fs.t.mu.Unlock()
	// An evicted flight still finishes; only a late retry of it would answer again.
	if f, ok := fs.t.get(key, now); ok {
		f.tries++
		return f, f.tries
	}
	f = &flight{start: now, tries: 1, done: make(chan struct{})}
	fs.t.add(key, f, now.Add(flightTTL))
	return f, 1
}

// finish sets the flight's reply and wakes the tries waiting for it.
func (f *flight) finish(reply string) {
	f.reply = reply
	close(f.done)
	if f.published != nil {
		f.published(reply)
	}
}
