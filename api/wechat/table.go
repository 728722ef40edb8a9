package wechat

import (
	"container/list"
	"sync"
	"time"
)

// table is a bounded map of entries by key that forgets them oldest first:
// once they expire, or when it is full. It holds what the channel must
// remember of recent callbacks (flights, replays) without growing with
// them. get and add are called with mu held, so that a caller can read
// and change an entry in the same step.
type table[V any] struct {
	mu    sync.Mutex
	max   int
	byKey map[string]*list.Element // of *tableEntry[V]
	order list.List                // oldest first
}

type tableEntry[V any] struct {
	key     string
	expires time.Time
	value   V
}

func newTable[V any](max int) *table[V] {
	return &table[V]{max: max, byKey: make(map[string]*list.Element)}
}

// get returns the value of key, after forgetting the entries expired by now
// and the oldest ones while the table is full.
func (t *table[V]) get(key string, now time.Time) (V, bool) {
	for e := t.order.Front(); e != nil; e = t.order.Front() {
		old := e.Value.(*tableEntry[V])
		if t.order.Len() < t.max && now.Before(old.expires) {
			break
		}
		t.order.Remove(e)
		delete(t.byKey, old.key)
	}
	if e, ok := t.byKey[key]; ok {
		return e.Value.(*tableEntry[V]).value, true
	}
	var zero V
	return zero, false
}

// add keeps v under key until expires; key is not in the table (get said so).
func (t *table[V]) add(key string, v V, expires time.Time) {
	t.byKey[key] = t.order.PushBack(&tableEntry[V]{key: key, expires: expires, value: v})
}

// len is the number of entries kept.
func (t *table[V]) len() int { return len(t.byKey) }
