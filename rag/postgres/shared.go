package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Time limits of the shared state on a question's path: past them the
// caller does what one process can do alone.
const (
	claimTimeout = time.Second
	limitTimeout = 300 * time.Millisecond
	// claimTTL keeps a claim far longer than WeChat's 15 s of retries.
	claimTTL = 10 * time.Minute
	// historyTTL is how long an idle conversation is kept.
	historyTTL = 30 * time.Minute
)

// key is what the tables hold instead of an account's OpenIDs and MsgIds.
func key(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// Claim records that the caller makes the reply to the message with this
// key. It returns true for the first claim of a key, on any replica; the
// others wait for Result.
func (s *Store) Claim(ctx context.Context, msgKey string) (bool, error) {
	var first bool
	err := s.hot(ctx, claimTimeout, func(ctx context.Context) error {
		tag, err := s.pool.Exec(ctx, `INSERT INTO wenda_wechat_claims (key) VALUES ($1) ON CONFLICT (key) DO NOTHING`, key(msgKey))
		first = err == nil && tag.RowsAffected() == 1
		return err
	})
	return first, err
}

// Finish stores the reply to a claimed message for the tries that reached
// other replicas.
func (s *Store) Finish(ctx context.Context, msgKey, reply string) error {
	return s.hot(ctx, claimTimeout, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `UPDATE wenda_wechat_claims SET done = true, reply = $2 WHERE key = $1`, key(msgKey), reply)
		return err
	})
}

// Result returns the reply to a claimed message once it is done.
func (s *Store) Result(ctx context.Context, msgKey string) (reply string, done bool, err error) {
	err = s.hot(ctx, claimTimeout, func(ctx context.Context) error {
		err := s.pool.QueryRow(ctx, `SELECT done, reply FROM wenda_wechat_claims WHERE key = $1`, key(msgKey)).Scan(&done, &reply)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	return reply, done, err
}

// Turn is one message of a conversation.
type Turn struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// History returns a conversation's recent turns, oldest first; none when
// it has been idle longer than idle.
func (s *Store) History(ctx context.Context, user string, idle time.Duration) ([]Turn, error) {
	var turns []Turn
	err := s.hot(ctx, claimTimeout, func(ctx context.Context) error {
		var raw string
		err := s.pool.QueryRow(ctx, `SELECT messages FROM wenda_wechat_history
			WHERE user_key = $1 AND updated_at > clock_timestamp() - make_interval(secs => $2)`,
			key(user), idle.Seconds()).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			turns = nil
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(raw), &turns)
	})
	return turns, err
}

// SetHistory replaces a conversation's turns.
func (s *Store) SetHistory(ctx context.Context, user string, turns []Turn) error {
	raw, err := json.Marshal(turns)
	if err != nil {
		return err
	}
	return s.hot(ctx, claimTimeout, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `INSERT INTO wenda_wechat_history (user_key, messages, updated_at)
			VALUES ($1, $2, clock_timestamp())
			ON CONFLICT (user_key) DO UPDATE SET messages = excluded.messages, updated_at = excluded.updated_at`,
			key(user), string(raw))
		return err
	})
}

// Take takes one of perMinute tokens from key's bucket, shared by every
// replica. It returns 0 when a token was taken, else how long until one
// is there.
func (s *Store) Take(ctx context.Context, bucket string, perMinute int) (time.Duration, error) {
	var wait float64
	err := s.hot(ctx, limitTimeout, func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT wenda_take($1, $2)`, bucket, float64(perMinute)).Scan(&wait)
	})
	return time.Duration(wait * float64(time.Second)), err
}

// Expire deletes claims, conversations and buckets nobody needs any more, and the least
// asked unanswered questions beyond maxUnanswered.
// Follow's caller runs it now and then; any replica may.
func (s *Store) Expire(ctx context.Context) error {
	return s.exec(ctx, func(ctx context.Context) error {
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM wenda_wechat_claims WHERE claimed_at < clock_timestamp() - make_interval(secs => $1)`, claimTTL.Seconds())
		b.Queue(`DELETE FROM wenda_wechat_history WHERE updated_at < clock_timestamp() - make_interval(secs => $1)`, historyTTL.Seconds())
		// A bucket untouched for two minutes is full again: the same as none.
		b.Queue(`DELETE FROM wenda_rate_buckets WHERE updated_at < clock_timestamp() - interval '2 minutes'`)
		b.Queue(`DELETE FROM wenda_unanswered WHERE text IN (
			SELECT text FROM wenda_unanswered ORDER BY count DESC, updated_at DESC OFFSET $1)`, maxUnanswered)
		return s.pool.SendBatch(ctx, b).Close()
	})
}
