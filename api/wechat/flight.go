package wechat

import (
	"container/list"
	"sync"
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
type flights struct {
	mu    sync.Mutex
	byKey map[string]*list.Element // of *flight
	order list.List                // oldest first
}

// flight is the making of the answer to one message.
type flight struct {
	key   string
	start time.Time     // arrival of the first try
	tries int           // tries seen so far, guarded by flights.mu
	done  chan struct{} // closed once reply is set
	// reply is the text to send passively to any try still waiting or still to come. In
	// customer-service mode it is empty once the answer was pushed, and holds the answer when
	// the push failed (see Handler.push).
	reply string
	// published, when set, shares the reply with the other replicas once it is made.
	published func(reply string)
}

func newFlights() *flights {
	return &flights{byKey: make(map[string]*list.Element)}
}

// join returns the flight of key, creating it if this is the message's first try, and the
// number of this try (1 for the first).
func (fs *flights) join(key string, now time.Time) (f *flight, try int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for e := fs.order.Front(); e != nil; e = fs.order.Front() {
		old := e.Value.(*flight)
		if fs.order.Len() < maxFlights && now.Sub(old.start) <= flightTTL {
			break
		}
		// An evicted flight still finishes; only a late retry of it would answer again.
		fs.order.Remove(e)
		delete(fs.byKey, old.key)
	}
	if e, ok := fs.byKey[key]; ok {
		f = e.Value.(*flight)
		f.tries++
		return f, f.tries
	}
	f = &flight{key: key, start: now, tries: 1, done: make(chan struct{})}
	fs.byKey[key] = fs.order.PushBack(f)
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
