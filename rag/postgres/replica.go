package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"wenda/rag"
)

// Local is a replica's own copy of the documents: its index and the library
// on its disk that the index is rebuilt from at start. rag.Documents is one.
// Add replaces a document with the same ID; Remove of an unknown ID is
// rag.ErrDocumentNotFound; built-in documents are listed with Added false.
type Local interface {
	List() []rag.DocumentInfo
	Add(ctx context.Context, doc rag.Document) (rag.DocumentInfo, error)
	Remove(ctx context.Context, id string) error
}

// Replica administers the documents of one replica among several: writes
// go to the database (the store of record) and come back through the change
// feed, which every replica applies to its Local copy in order. Reads never
// touch the database.
type Replica struct {
	st      *Store
	local   Local
	seqPath string
	log     *slog.Logger
	added   []rag.Document // the local copy at start, adopted by an empty database

	mu      sync.Mutex // one applier at a time
	applied atomic.Int64
	synced  atomic.Bool
}

// batch is how many changes are read per round trip.
const batch = 200

// NewReplica returns the replica whose local copy is local, holding the
// documents added at start; seqPath is the file that remembers the last
// change applied to it, beside the library.
func NewReplica(st *Store, local Local, added []rag.Document, seqPath string, log *slog.Logger) *Replica {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Replica{st: st, local: local, added: added, seqPath: seqPath, log: log}
	r.applied.Store(r.readSeq())
	return r
}

// Applied returns the sequence number of the last change applied locally.
func (r *Replica) Applied() int64 { return r.applied.Load() }

// Synced reports whether the local copy has caught up with the database at
// least once since start.
func (r *Replica) Synced() bool { return r.synced.Load() }

func (r *Replica) readSeq() int64 {
	raw, err := os.ReadFile(r.seqPath)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (r *Replica) writeSeq(n int64) error {
	return rag.WriteFileAtomic(r.seqPath, []byte(strconv.FormatInt(n, 10)+"\n"))
}

// Sync brings the local copy to the database's state: it reads the latest
// sequence number, then applies every change up to it. A replica is ready
// once Sync has returned nil; it fails with rag.ErrUnavailable when the
// database cannot be reached, and the local copy is then what is served.
//
// A replica that remembers where it was applies the changes since; one that
// does not (a new data directory, or a database that was recreated) takes
// the whole snapshot. A database with no change at all adopts the
// documents the local copy already has, so that a single wenda that grew a
// library before it had a database loses none of it.
func (r *Replica) Sync(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	head, err := r.st.Head(ctx)
	if err != nil {
		return err
	}
	applied := r.applied.Load()
	switch {
	case head == 0:
		if err := r.adopt(ctx); err != nil {
			return err
		}
	case applied == 0 || applied > head:
		if err := r.reload(ctx); err != nil {
			return err
		}
	default:
		if err := r.applyLocked(ctx, head); err != nil {
			return err
		}
	}
	r.synced.Store(true)
	return nil
}

// adopt writes the local copy's added documents to an empty database.
func (r *Replica) adopt(ctx context.Context) error {
	var seq int64
	for _, doc := range r.added {
		n, err := r.st.PutDocument(ctx, doc)
		if err != nil {
			return err
		}
		seq = n
		r.log.Info("document adopted by the database", slog.String("id", doc.ID))
	}
	r.applied.Store(seq)
	return r.writeSeq(seq)
}

// reload makes the local copy the database's snapshot.
func (r *Replica) reload(ctx context.Context) error {
	docs, head, err := r.st.Snapshot(ctx)
	if err != nil {
		return err
	}
	want := make(map[string]bool, len(docs))
	for _, d := range docs {
		want[d.ID] = true
	}
	for _, info := range r.local.List() {
		if info.Added && !want[info.ID] {
			if err := r.local.Remove(ctx, info.ID); err != nil && !errors.Is(err, rag.ErrDocumentNotFound) {
				return fmt.Errorf("remove %s: %w", info.ID, err)
			}
		}
	}
	for _, d := range docs {
		if err := r.put(ctx, d); err != nil {
			return err
		}
	}
	r.applied.Store(head)
	r.log.Info("local copy reloaded from the database", slog.Int("documents", len(docs)), slog.Int64("seq", head))
	return r.writeSeq(head)
}

// put applies one document. A document this replica cannot take (its ID is
// one of this replica's built-in documents) is logged and skipped, never
// retried for ever; any other failure stops the feed until the next try.
func (r *Replica) put(ctx context.Context, d rag.Document) error {
	_, err := r.local.Add(ctx, d)
	if errors.Is(err, rag.ErrInvalidDocument) {
		r.log.Error("document of record not applied", slog.String("id", d.ID), slog.Any("err", err))
		return nil
	}
	if err != nil {
		return fmt.Errorf("apply %s: %w", d.ID, err)
	}
	return nil
}

// Poll applies every change not applied yet. Follow calls it; so does a
// write, to answer only once its change is in the local index.
func (r *Replica) Poll(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.applyLocked(ctx, -1)
}

// catchUp applies changes until seq is applied.
func (r *Replica) catchUp(ctx context.Context, seq int64) error {
	if r.applied.Load() >= seq {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.applyLocked(ctx, seq)
}

// applyLocked applies changes in order up to upTo (all of them when
// negative), saving the sequence number after each batch. Within a batch,
// a change superseded by a later one is skipped: the later one carries the
// document.
func (r *Replica) applyLocked(ctx context.Context, upTo int64) error {
	for upTo < 0 || r.applied.Load() < upTo {
		changes, err := r.st.Changes(ctx, r.applied.Load(), batch)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		start := time.Now()
		for _, c := range changes {
			switch {
			case c.Superseded:
			case c.Doc == nil:
				if err := r.local.Remove(ctx, c.ID); err != nil && !errors.Is(err, rag.ErrDocumentNotFound) && !errors.Is(err, rag.ErrReadOnlyDocument) {
					return fmt.Errorf("apply delete %s: %w", c.ID, err)
				}
			default:
				if err := r.put(ctx, *c.Doc); err != nil {
					return err
				}
			}
			r.applied.Store(c.Seq)
		}
		last := changes[len(changes)-1].Seq
		if err := r.writeSeq(last); err != nil {
			return fmt.Errorf("save feed position: %w", err)
		}
		r.log.Debug("changes applied", slog.Int("changes", len(changes)), slog.Int64("seq", last),
			slog.Duration("duration", time.Since(start)))
	}
	return nil
}

// Follow applies the change feed until ctx is done: at once on each
// notification, and every interval in case one was missed. When the
// database is down it retries the connection, and first of all syncs if
// the replica started without it.
func (r *Replica) Follow(ctx context.Context, interval time.Duration) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := r.st.Listen(ctx, interval, func(ctx context.Context) {
			if !r.synced.Load() {
				if err := r.Sync(ctx); err != nil {
					r.log.Warn("sync with the database failed", slog.Any("err", err))
					return
				}
				r.log.Info("local copy in sync with the database", slog.Int64("seq", r.applied.Load()))
			}
			if err := r.Poll(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("change feed not applied", slog.Any("err", err))
			}
		})
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			wait = 100 * time.Millisecond
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// List returns the local copy's documents.
func (r *Replica) List() []rag.DocumentInfo { return r.local.List() }

// Add writes doc to the database and returns once this replica has
// applied it. It fails with rag.ErrUnavailable while the database is down.
func (r *Replica) Add(ctx context.Context, doc rag.Document) (rag.DocumentInfo, error) {
	if err := doc.Validate(); err != nil {
		return rag.DocumentInfo{}, err
	}
	for _, d := range r.local.List() {
		if d.ID == doc.ID && !d.Added {
			return rag.DocumentInfo{}, fmt.Errorf("%w: id %q is a built-in document", rag.ErrInvalidDocument, doc.ID)
		}
	}
	seq, err := r.st.PutDocument(ctx, doc)
	if err != nil {
		return rag.DocumentInfo{}, err
	}
	if err := r.catchUp(ctx, seq); err != nil {
		// Stored: the feed applies it later, here as on the other replicas.
		r.log.Warn("document stored but not yet applied here", slog.String("id", doc.ID), slog.Any("err", err))
	}
	return rag.DocumentInfo{ID: doc.ID, Title: doc.Title, City: doc.City, Province: doc.Province,
		Published: doc.Published, Kind: doc.Kind, Added: true, Bytes: len(doc.Text)}, nil
}

// Remove deletes a document from the database and returns once this
// replica has applied it.
func (r *Replica) Remove(ctx context.Context, id string) error {
	for _, d := range r.local.List() {
		if d.ID == id && !d.Added {
			return rag.ErrReadOnlyDocument
		}
	}
	seq, err := r.st.DeleteDocument(ctx, id)
	if err != nil {
		return err
	}
	if err := r.catchUp(ctx, seq); err != nil {
		r.log.Warn("document deleted but not yet applied here", slog.String("id", id), slog.Any("err", err))
	}
	return nil
}
