package main

import (
	"context"
	"sync/atomic"

	"wenda/api"
	"wenda/api/wechat"
	"wenda/rag"
)

// engineRef holds the engine once the index is loaded, so that channels
// built before then (WeChat) answer as soon as it is.
type engineRef struct {
	p atomic.Pointer[rag.Engine]
	// unanswered, when set, counts the questions refused on WeChat as the
	// HTTP API counts its own.
	unanswered api.UnansweredLog
}

var errLoading = rag.ErrNotReady

// Answer adapts rag.Engine to the WeChat channel's Answerer.
func (r *engineRef) Answer(ctx context.Context, question string, history []wechat.Message) (wechat.Reply, error) {
	eng := r.p.Load()
	if eng == nil {
		return wechat.Reply{}, errLoading
	}
	req := rag.Request{Question: question}
	for _, m := range history {
		req.History = append(req.History, rag.Message{Role: rag.Role(m.Role), Content: m.Content})
	}
	a, err := eng.Ask(ctx, req)
	if err != nil {
		return wechat.Reply{}, err
	}
	if !a.Answered && r.unanswered != nil {
		// A store that fails costs the bureau a count, never the citizen
		// an answer.
		_ = r.unanswered.Record(ctx, a.Question)
	}
	// The reply lists the sources its text cites, as the OpenAI-compatible
	// endpoint does; the API's sources stay complete.
	return wechat.Reply{Text: a.Answer, Answered: a.Answered, Sources: rag.SourceLines(a)}, nil
}

// lateDocuments is the documents admin once the index is loaded.
type lateDocuments struct {
	p atomic.Pointer[api.DocumentAdmin]
}

func (l *lateDocuments) get() (api.DocumentAdmin, error) {
	d := l.p.Load()
	if d == nil {
		return nil, errLoading
	}
	return *d, nil
}

func (l *lateDocuments) List() []rag.DocumentInfo {
	if d, err := l.get(); err == nil {
		return d.List()
	}
	return nil
}

func (l *lateDocuments) Add(ctx context.Context, doc rag.Document) (rag.DocumentInfo, error) {
	d, err := l.get()
	if err != nil {
		return rag.DocumentInfo{}, err
	}
	return d.Add(ctx, doc)
}

func (l *lateDocuments) Remove(ctx context.Context, id string) error {
	d, err := l.get()
	if err != nil {
		return err
	}
	return d.Remove(ctx, id)
}
