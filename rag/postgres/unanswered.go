package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxUnanswered caps the questions kept; Expire drops the least asked beyond it.
const maxUnanswered = 1000

// UnansweredCount is a refused question and how often it was asked.
type UnansweredCount struct {
	Text  string
	Count int
}

// RecordUnanswered counts a question refused for want of a document, on behalf of every
// replica. The caller normalises it first; nothing about who asked is stored.
func (s *Store) RecordUnanswered(ctx context.Context, question string) error {
	return s.hot(ctx, time.Second, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `INSERT INTO wenda_unanswered (text, count) VALUES ($1, 1)
			ON CONFLICT (text) DO UPDATE SET count = wenda_unanswered.count + 1, updated_at = now()`, question)
		return err
	})
}

// Unanswered returns the refused questions, the most asked first.
func (s *Store) Unanswered(ctx context.Context) ([]UnansweredCount, error) {
	var out []UnansweredCount
	err := s.exec(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, `SELECT text, count FROM wenda_unanswered ORDER BY count DESC, text LIMIT $1`, maxUnanswered)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[UnansweredCount])
		return err
	})
	return out, err
}

// ClearUnanswered forgets every refused question.
func (s *Store) ClearUnanswered(ctx context.Context) error {
	return s.exec(ctx, func(ctx context.Context) error {
		_, err := s.pool.Exec(ctx, `DELETE FROM wenda_unanswered`)
		return err
	})
}
