package rag

import (
	"container/list"
	"sync"
)

// DefaultAnswerCache is how many extractive answers an engine keeps.
const DefaultAnswerCache = 1024

// answerCache keeps the most recent extractive answers by standalone
// question. An extractive answer is a pure function of the question and the
// documents, and citizens ask the same questions again and again, so a hit
// skips retrieval and scoring entirely. Refresh (a document added or
// removed) empties it. Answers of the model are never cached.
type answerCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*list.Element
	order *list.List // front: most recently used
}

type cacheEntry struct {
	key string
	a   Answer

	retrieved []Result // llm mode: the chunks the answer's plan retrieved, the model's sources
}

func newAnswerCache(max int) *answerCache {
	if max <= 0 {
		return nil
	}
	return &answerCache{max: max, items: map[string]*list.Element{}, order: list.New()}
}

// get returns a copy of the cached answer: callers may change its sources.
func (c *answerCache) get(key string) (Answer, bool) {
	if c == nil {
		return Answer{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return Answer{}, false
	}
	c.order.MoveToFront(el)
	a := el.Value.(*cacheEntry).a
	a.Sources = append([]Source{}, a.Sources...)
	return a, true
}

func (c *answerCache) put(key string, a Answer) { c.putPlanned(key, a, nil) }

// getPlanned is get with the chunks the answer's plan retrieved; ok is false
// when the answer is not cached with them.
func (c *answerCache) getPlanned(key string) (Answer, []Result, bool) {
	if c == nil {
		return Answer{}, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok || el.Value.(*cacheEntry).retrieved == nil {
		return Answer{}, nil, false
	}
	c.order.MoveToFront(el)
	e := el.Value.(*cacheEntry)
	a := e.a
	a.Sources = append([]Source{}, a.Sources...)
	return a, e.retrieved, true
}

// putPlanned is put with the chunks the answer's plan retrieved.
func (c *answerCache) putPlanned(key string, a Answer, retrieved []Result) {
	if c == nil {
		return
	}
	a.Sources = append([]Source{}, a.Sources...)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		el.Value.(*cacheEntry).a = a
		el.Value.(*cacheEntry).retrieved = retrieved
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, a: a, retrieved: retrieved})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

func (c *answerCache) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = map[string]*list.Element{}
	c.order.Init()
}

// WithAnswerCache sets how many extractive answers the engine keeps (0: none).
func WithAnswerCache(n int) Option {
	return func(e *Engine) { e.cache = newAnswerCache(n) }
}
