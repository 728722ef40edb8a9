package wechat

import (
	"container/list"
	"sync"
	"time"
)

// History limits. Follow-ups ("那九江呢?") need the last exchange or two, not the whole
// conversation, and memory must stay bounded however many citizens write: at most
// maxHistoryUsers × maxHistoryMessages × maxHistoryBytes, about 15 MB.
const (
	maxHistoryMessages = 6                // the last three questions and answers
	maxHistoryBytes    = 512              // per message; enough for the gist of an answer
	historyIdle        = 30 * time.Minute // a conversation left this long starts afresh
	maxHistoryUsers    = 5000             // beyond it, the least recently active is forgotten
)

// histories keeps each citizen's recent conversation in memory, keyed by OpenID. It is lost
// on restart and not shared between replicas, which only costs a follow-up its context.
type histories struct {
	mu    sync.Mutex
	users map[string]*list.Element // of *history
	lru   list.List                // most recently active first
}

type history struct {
	openID   string
	messages []Message
	last     time.Time
}

func newHistories() *histories {
	return &histories{users: make(map[string]*list.Element)}
}

// get returns a copy of the conversation of openID, oldest first, or nil if it has none
// or it has been idle too long.
func (h *histories) get(openID string, now time.Time) []Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.users[openID]
	if !ok {
		return nil
	}
	u := e.Value.(*history)
	if now.Sub(u.last) > historyIdle {
		h.lru.Remove(e)
		delete(h.users, openID)
		return nil
	}
	return append([]Message(nil), u.messages...)
}

// add appends one question and its answer to the conversation of openID.
func (h *histories) add(openID string, now time.Time, question, answer string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.users[openID]
	if !ok || now.Sub(e.Value.(*history).last) > historyIdle {
		if ok {
			h.lru.Remove(e)
		}
		e = h.lru.PushFront(&history{openID: openID})
		h.users[openID] = e
	}
	u := e.Value.(*history)
	u.last = now
	h.lru.MoveToFront(e)
	u.messages = appendExchange(u.messages, question, answer)
	// Forget the least recently active: over the bound, and those idle too long anyway.
	for old := h.lru.Back(); old != nil; old = h.lru.Back() {
		u := old.Value.(*history)
		if h.lru.Len() <= maxHistoryUsers && now.Sub(u.last) <= historyIdle {
			break
		}
		h.lru.Remove(old)
		delete(h.users, u.openID)
	}
}

// appendExchange returns msgs with a question and its answer added, each cut to
// maxHistoryBytes, keeping the last maxHistoryMessages.
func appendExchange(msgs []Message, question, answer string) []Message {
	msgs = append(msgs,
		Message{Role: RoleUser, Content: truncate(question, maxHistoryBytes)},
		Message{Role: RoleAssistant, Content: truncate(answer, maxHistoryBytes)})
	if extra := len(msgs) - maxHistoryMessages; extra > 0 {
		msgs = append(msgs[:0:0], msgs[extra:]...)
	}
	return msgs
}
