// Package postgres keeps in PostgreSQL what several wenda replicas behind a
// load balancer must agree on: the documents added through the admin API
// (the store of record) with an ordered change feed that every replica
// applies to its own index, WeChat message claims and conversation history,
// the rate limit's buckets, and the questions refused for want of a document.
//
// It does not hold the index, its snapshot or the answer cache: those stay
// in each replica's memory and data directory, so that answering never waits
// on the database. When the database cannot be reached, writes fail with
// rag.ErrUnavailable and the shared state's callers fall back to what one
// process can do alone; Store.Up says which it is.
//
// The schema is created and migrated by Open's first successful connection,
// under an advisory lock, so replicas may start together.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"wenda/rag"
)

// Advisory lock keys: one for migrations, one that orders the change feed.
const (
	lockMigrate int64 = 0x77656e6461_01 // "wenda" 1
	lockFeed    int64 = 0x77656e6461_02 // "wenda" 2
)

// channel is the LISTEN/NOTIFY channel of document changes.
const channel = "wenda_documents"

// Store is a connection pool to the shared database. It is safe for
// concurrent use.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger

	up       atomic.Bool
	mu       sync.Mutex // guards migrated and the up/down log lines' order
	migrated bool
}

// Open checks url and returns a store. It does not wait for the database:
// a replica must be able to start, read-only, while it is down. The first
// call that reaches the database applies the migrations.
func Open(url string, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, errors.New("database URL is not a valid postgres:// URL or key=value string")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 5*time.Second {
		cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "wenda"
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	return &Store{pool: pool, log: log}, nil
}

// Close closes every connection.
func (s *Store) Close() { s.pool.Close() }

// Up reports whether the last exchange with the database succeeded.
func (s *Store) Up() bool { return s.up.Load() }

// observe records whether the database answered; a change is logged once.
// Errors the server reports about the statement itself (a constraint, a
// syntax error) say the database is up.
func (s *Store) observe(err error) {
	down := err != nil && unreachable(err)
	if err != nil && !down {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if was := s.up.Swap(!down); was == !down {
		return
	}
	if down {
		s.log.Warn("database down: admin writes refused; WeChat claims, history and the rate limit are per process until it returns",
			slog.Any("err", err))
	} else {
		s.log.Info("database up: shared state in use")
	}
}

// unreachable tells a lost or refused connection (and a server shutting
// down) from an error about the statement.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pe.Code[:2] {
		case "08", "57", "53": // connection exception, operator intervention, insufficient resources
			return true
		}
		return false
	}
	return true
}

// errDown is returned without a round trip while the database is known to
// be down; the feed's reconnect loop notices when it returns.
var errDown = fmt.Errorf("%w: database down", rag.ErrUnavailable)

// unavailable wraps a connection error so that callers map it to 503.
func unavailable(err error) error {
	if err == nil || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", rag.ErrUnavailable, err)
}

// Ping reaches the database, migrating it on the first success.
func (s *Store) Ping(ctx context.Context) error {
	err := s.pool.Ping(ctx)
	if err == nil {
		err = s.migrate(ctx)
	}
	s.observe(err)
	return unavailable(err)
}

// migrations are applied in order, each once; never edit one that has been
// released, append a new one.
var migrations = []string{
	1: `
CREATE TABLE wenda_documents (
	id         text PRIMARY KEY,
	doc        text NOT NULL,            -- rag.Document as JSON
	seq        bigint NOT NULL,          -- the change that wrote it
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE wenda_document_changes (
	seq    bigserial PRIMARY KEY,
	doc_id text NOT NULL,
	op     text NOT NULL CHECK (op IN ('put', 'delete')),
	at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE wenda_wechat_claims (
	key        text PRIMARY KEY,         -- digest of account, user and MsgId
	claimed_at timestamptz NOT NULL DEFAULT now(),
	done       boolean NOT NULL DEFAULT false,
	reply      text NOT NULL DEFAULT ''
);
CREATE INDEX wenda_wechat_claims_claimed_at ON wenda_wechat_claims (claimed_at);
CREATE TABLE wenda_wechat_history (
	user_key   text PRIMARY KEY,         -- digest of account and user
	messages   text NOT NULL,            -- JSON list of {role, content}
	updated_at timestamptz NOT NULL
);
CREATE INDEX wenda_wechat_history_updated_at ON wenda_wechat_history (updated_at);
CREATE TABLE wenda_rate_buckets (
	key        text PRIMARY KEY,
	tokens     double precision NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX wenda_rate_buckets_updated_at ON wenda_rate_buckets (updated_at);
-- wenda_take takes a token from key's bucket (capacity and refill per
-- minute both per_minute) in one statement, and returns the seconds until
-- the next token: 0 when one was taken.
CREATE FUNCTION wenda_take(k text, per_minute double precision) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
	t double precision;
BEGIN
	INSERT INTO wenda_rate_buckets AS b (key, tokens, updated_at)
	VALUES (k, per_minute, clock_timestamp())
	ON CONFLICT (key) DO UPDATE
	SET tokens = least(per_minute, b.tokens + extract(epoch FROM clock_timestamp() - b.updated_at) * per_minute / 60),
	    updated_at = clock_timestamp()
	RETURNING tokens INTO t;
	IF t >= 1 THEN
		UPDATE wenda_rate_buckets SET tokens = t - 1 WHERE key = k;
		RETURN 0;
	END IF;
	RETURN (1 - t) * 60 / per_minute;
END $$;
`,
	2: `
CREATE TABLE wenda_unanswered (
	text       text PRIMARY KEY,         -- the normalised question, nothing about who asked
	count      bigint NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);
`,
}

// migrate brings the schema to the latest version. The advisory lock is
// taken before anything else, so that replicas starting together apply
// each migration once, one after the other.
func (s *Store) migrate(ctx context.Context) error {
	s.mu.Lock()
	done := s.migrated
	s.mu.Unlock()
	if done {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockMigrate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS wenda_schema_migrations (
			version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM wenda_schema_migrations`).Scan(&have); err != nil {
			return err
		}
		if have > len(migrations)-1 {
			return fmt.Errorf("database schema version %d is newer than this wenda's %d", have, len(migrations)-1)
		}
		for v := have + 1; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO wenda_schema_migrations (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	s.mu.Lock()
	s.migrated = true
	s.mu.Unlock()
	return nil
}

// exec runs fn on the pool once the schema is there, recording whether the
// database answered. A connection that turns out dead before anything was
// sent (pgx says so) is retried once: after a database restart the pool
// may still hold connections to the old server.
func (s *Store) exec(ctx context.Context, fn func(ctx context.Context) error) error {
	err := s.migrate(ctx)
	if err == nil {
		err = fn(ctx)
		if err != nil && pgconn.SafeToRetry(err) && ctx.Err() == nil {
			err = fn(ctx)
		}
	}
	s.observe(err)
	return unavailable(err)
}

// hot runs fn for a caller on a question's path: not at all while the
// database is known to be down, and within timeout.
func (s *Store) hot(ctx context.Context, timeout time.Duration, fn func(ctx context.Context) error) error {
	if !s.up.Load() {
		return errDown
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return s.exec(ctx, fn)
}
