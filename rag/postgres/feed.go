package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"wenda/rag"
)

// Change is one entry of the document change feed.
type Change struct {
	Seq int64
	ID  string
	// Doc is the document as this change left it; nil when the change
	// deleted it.
	Doc *rag.Document
	// Superseded is true when a later change rewrote the document: that
	// change carries it, and this one has nothing to apply.
	Superseded bool
}

// PutDocument stores doc (replacing one with its ID), records the change
// and notifies the replicas, in one transaction. It returns the change's
// sequence number.
func (s *Store) PutDocument(ctx context.Context, doc rag.Document) (int64, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return 0, err
	}
	return s.change(ctx, doc.ID, "put", func(tx pgx.Tx, seq int64) error {
		_, err := tx.Exec(ctx, `INSERT INTO wenda_documents (id, doc, seq) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, seq = excluded.seq, updated_at = now()`,
			doc.ID, string(raw), seq)
		return err
	})
}

// DeleteDocument deletes a document, records the change and notifies the
// replicas, in one transaction. An unknown ID is rag.ErrDocumentNotFound.
func (s *Store) DeleteDocument(ctx context.Context, id string) (int64, error) {
	return s.change(ctx, id, "delete", func(tx pgx.Tx, _ int64) error {
		tag, err := tx.Exec(ctx, `DELETE FROM wenda_documents WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			return rag.ErrDocumentNotFound
		}
		return err
	})
}

// change runs one document write with its feed entry. The feed lock makes
// the writes one at a time, so that sequence numbers commit in order: a
// replica that has applied change n has seen every change before n.
// (Without it, a transaction holding n could commit after one holding n+1,
// and a replica polling in between would skip n for ever.)
func (s *Store) change(ctx context.Context, id, op string, write func(tx pgx.Tx, seq int64) error) (int64, error) {
	var seq int64
	err := s.exec(ctx, func(ctx context.Context) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockFeed); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `INSERT INTO wenda_document_changes (doc_id, op) VALUES ($1, $2) RETURNING seq`,
				id, op).Scan(&seq); err != nil {
				return err
			}
			if err := write(tx, seq); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, channel, strconv.FormatInt(seq, 10))
			return err
		})
	})
	if errors.Is(err, rag.ErrDocumentNotFound) {
		return 0, rag.ErrDocumentNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("%s document: %w", op, err)
	}
	return seq, nil
}

// Snapshot returns every document of record and the sequence number they
// are the state at, read in one snapshot.
func (s *Store) Snapshot(ctx context.Context) (docs []rag.Document, head int64, err error) {
	err = s.exec(ctx, func(ctx context.Context) error {
		docs, head = nil, 0
		return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
			if err := tx.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM wenda_document_changes`).Scan(&head); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT doc FROM wenda_documents ORDER BY id`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var raw string
				if err := rows.Scan(&raw); err != nil {
					return err
				}
				var d rag.Document
				if err := json.Unmarshal([]byte(raw), &d); err != nil {
					return fmt.Errorf("document of record: %w", err)
				}
				docs = append(docs, d)
			}
			return rows.Err()
		})
	})
	return docs, head, err
}

// Head returns the sequence number of the latest change (0 for none).
func (s *Store) Head(ctx context.Context) (int64, error) {
	var head int64
	err := s.exec(ctx, func(ctx context.Context) error {
		return s.pool.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM wenda_document_changes`).Scan(&head)
	})
	return head, err
}

// Changes returns up to limit changes after seq, in order, each with the
// document as it left it.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]Change, error) {
	var out []Change
	err := s.exec(ctx, func(ctx context.Context) error {
		out = nil
		rows, err := s.pool.Query(ctx, `SELECT c.seq, c.doc_id, d.doc, d.seq
			FROM wenda_document_changes c LEFT JOIN wenda_documents d ON d.id = c.doc_id
			WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, after, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c Change
			var raw *string
			var docSeq *int64
			if err := rows.Scan(&c.Seq, &c.ID, &raw, &docSeq); err != nil {
				return err
			}
			switch {
			case docSeq != nil && *docSeq > c.Seq:
				c.Superseded = true
			case raw != nil:
				c.Doc = &rag.Document{}
				if err := json.Unmarshal([]byte(*raw), c.Doc); err != nil {
					return fmt.Errorf("document of record %s: %w", c.ID, err)
				}
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// Listen calls poll once listening, after every change notification, and
// at least every interval, until ctx is done (it then returns nil) or the
// listening connection fails. The interval is the safety net for a
// notification missed while the connection was being re-made.
func (s *Store) Listen(ctx context.Context, interval time.Duration, poll func(ctx context.Context)) error {
	if err := s.migrate(ctx); err != nil {
		s.observe(err)
		return unavailable(err)
	}
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		s.observe(err)
		return unavailable(err)
	}
	// A connection that has run LISTEN must not go back to the pool.
	conn := c.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		s.observe(err)
		return unavailable(err)
	}
	s.observe(nil)
	for {
		poll(ctx)
		wait, cancel := context.WithTimeout(ctx, interval)
		_, err := conn.WaitForNotification(wait)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
		case errors.Is(err, context.DeadlineExceeded) || wait.Err() != nil:
			// No notification: a cheap round trip tells a dead server
			// from a quiet one.
			pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				s.observe(err)
				return unavailable(err)
			}
			s.observe(nil)
		default:
			if ctx.Err() != nil {
				return nil
			}
			s.observe(err)
			return unavailable(err)
		}
	}
}
