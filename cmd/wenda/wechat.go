package main

import (
	"context"
	"errors"
	"sort"
	"sync/atomic"

	"wenda/api/wechat"
	"wenda/rag"
)

// engineRef holds the engine once the index is loaded, so that channels
// built before then (WeChat) answer as soon as it is.
type engineRef struct{ p atomic.Pointer[rag.Engine] }

var errLoading = errors.New("index is still loading")

// Answer adapts rag.Engine to the WeChat channel's Answerer.
func (r *engineRef) Answer(ctx context.Context, question string, history []wechat.Message) (wechat.Reply, error) {
	eng := r.p.Load()
	if eng == nil {
		return wechat.Reply{}, errLoading
	}
	req := rag.Request{Question: question}
	for _, m := range history {
		req.History = append(req.History, rag.Message{Role: m.Role, Content: m.Content})
	}
	a, err := eng.Ask(ctx, req)
	if err != nil {
		return wechat.Reply{}, err
	}
	sort.Slice(a.Sources, func(i, j int) bool { return a.Sources[i].N < a.Sources[j].N })
	reply := wechat.Reply{Text: a.Answer, Answered: a.Answered}
	for _, s := range a.Sources {
		reply.Sources = append(reply.Sources, wechat.Source{Title: s.Title, City: s.City, Published: s.Published})
	}
	return reply, nil
}
