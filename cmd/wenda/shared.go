package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"wenda/api"
	"wenda/api/wechat"
	"wenda/rag"
	"wenda/rag/postgres"
)

// Several replicas: with WENDA_DATABASE_URL, PostgreSQL is the store of record for admin
// documents and the place for what replicas share (DESIGN §8). Without it none of this runs.

// Intervals of the shared state's background work.
const (
	feedPoll     = time.Second // the change feed's poll, behind LISTEN/NOTIFY
	expireEvery  = time.Minute // old WeChat claims, conversations, rate buckets
	syncAtStart  = 30 * time.Second
	defaultDrain = 2 * time.Second // a replica's /readyz 503 before it stops accepting
)

var (
	_ api.SharedLimiter    = (*postgres.Store)(nil)
	_ wechat.Claims        = (*postgres.Store)(nil)
	_ wechat.Conversations = conversations{}
	_ postgres.Local       = (*rag.Documents)(nil)
	_ api.DocumentAdmin    = (*postgres.Replica)(nil)
)

// conversations adapts the store's turns to the WeChat channel's messages.
type conversations struct{ st *postgres.Store }

// historyIdle matches the WeChat channel's own: a conversation idle this long starts afresh.
const historyIdle = 30 * time.Minute

func (c conversations) History(ctx context.Context, user string) ([]wechat.Message, error) {
	turns, err := c.st.History(ctx, user, historyIdle)
	if err != nil {
		return nil, err
	}
	msgs := make([]wechat.Message, len(turns))
	for i, t := range turns {
		msgs[i] = wechat.Message{Role: t.Role, Content: t.Content}
	}
	return msgs, nil
}

func (c conversations) SetHistory(ctx context.Context, user string, msgs []wechat.Message) error {
	turns := make([]postgres.Turn, len(msgs))
	for i, m := range msgs {
		turns[i] = postgres.Turn{Role: m.Role, Content: m.Content}
	}
	return c.st.SetHistory(ctx, user, turns)
}

// openShared connects the shared state into the API and WeChat configurations. It does not
// wait for the database.
func openShared(cfg config, log *slog.Logger, apiCfg *api.Config, wxCfg *wechat.Config) (*postgres.Store, error) {
	st, err := postgres.Open(cfg.DatabaseURL, log.With(slog.String("component", "database")))
	if err != nil {
		return nil, err
	}
	apiCfg.SharedLimit = st
	apiCfg.DatabaseUp = st.Up
	wxCfg.Claims = st
	wxCfg.Conversations = conversations{st}
	return st, nil
}

// startReplica brings the local copy of the documents up to the database's state before the
// replica is ready, then follows the change feed until ctx is done. When the database cannot
// be reached at start, the local copy is served, read-only, until it returns.
func startReplica(ctx context.Context, st *postgres.Store, docs *rag.Documents, added []rag.Document, dataDir string, log *slog.Logger) (*postgres.Replica, error) {
	rep := postgres.NewReplica(st, docs, added, filepath.Join(dataDir, "feed.seq"), log.With(slog.String("component", "feed")))
	start := time.Now()
	syncCtx, cancel := context.WithTimeout(ctx, syncAtStart)
	err := rep.Sync(syncCtx)
	cancel()
	switch {
	case errors.Is(err, rag.ErrUnavailable):
		log.Warn("database unavailable at start: serving the local copy, read-only, until it returns",
			slog.Int64("seq", rep.Applied()), slog.Any("err", err))
	case err != nil:
		return nil, fmt.Errorf("sync with the database: %w", err)
	default:
		log.Info("documents in sync with the database", slog.Int64("seq", rep.Applied()), slog.Duration("duration", time.Since(start)))
	}
	go rep.Follow(ctx, feedPoll)
	go func() {
		t := time.NewTicker(expireEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if st.Up() {
					st.Expire(ctx)
				}
			}
		}
	}()
	return rep, nil
}
