package rag

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"wenda/rag/index"
)

// splitterVersion is part of the snapshot's content hash: bump it when Split
// changes what it produces, so saved indexes are rebuilt.
const splitterVersion = "split-10"

// snapshotDoc is one document's entry in the snapshot: its chunks and
// their vectors, keyed by docHash.
type snapshotDoc = index.SnapshotDoc[Chunk]

// contentHash identifies documents and the embedder that indexed them.
func contentHash(docs []Document, embedderName string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", splitterVersion, embedderName)
	for _, d := range docs {
		for _, f := range []string{d.ID, d.Title, d.City, d.Province, d.Published, d.URL, d.Text} {
			io.WriteString(h, strconv.Itoa(len(f)))
			io.WriteString(h, ":")
			io.WriteString(h, f)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// docHash identifies one document as indexed by the embedder.
func docHash(d Document, embedderName string) string {
	return contentHash([]Document{d}, embedderName)
}

// BuildOptions configure Build.
type BuildOptions struct {
	Embedder Embedder
	Tokens   TokenCounter
	// SnapshotPath is where the index is saved; empty keeps it in memory.
	SnapshotPath string
}

// BuildInfo says how Build got its index.
type BuildInfo struct {
	Loaded  bool  // every document from the snapshot; false when any was indexed afresh
	Rebuilt error // why the snapshot was not used whole (nil when there was none)
	// SaveErr is why the snapshot could not be saved (a read-only data
	// directory, a full disk). The index is served all the same; the next
	// start indexes again what was not saved.
	SaveErr error
	Chunks  int
}

// Build indexes docs, taking each document's chunks and vectors from the
// saved snapshot when they were made from the same document and embedder,
// and splitting and embedding the others. A damaged snapshot is rebuilt,
// never served; a snapshot that cannot be saved is reported in SaveErr, not
// an error.
func Build(ctx context.Context, docs []Document, opt BuildOptions) (*Index, BuildInfo, error) {
	ix, err := NewIndex(opt.Embedder, opt.Tokens)
	if err != nil {
		return nil, BuildInfo{}, err
	}
	name := index.Name(opt.Embedder)
	var info BuildInfo
	saved := map[string]*snapshotDoc{}
	haveSnapshot := false
	if opt.SnapshotPath != "" {
		s, err := index.ReadSnapshot[Chunk](opt.SnapshotPath)
		switch {
		case err == nil:
			haveSnapshot = true
			for i := range s {
				saved[s[i].Hash] = &s[i]
			}
		case !errors.Is(err, os.ErrNotExist):
			info.Rebuilt = err
		}
	}
	entries := make([]snapshotDoc, len(docs))
	isFresh := make([]bool, len(docs))
	fresh := 0
	for i, d := range docs {
		if e, ok := saved[docHash(d, name)]; ok {
			entries[i] = *e
			delete(saved, e.Hash)
			continue
		}
		isFresh[i] = true
		fresh++
	}
	if fresh > 0 && haveSnapshot {
		info.Rebuilt = errors.New("documents or embedder changed")
	}
	// Documents are split and embedded a batch at a time on one side while
	// the batch before is indexed on the other: the legs' inserts, partly
	// serial, overlap the splitting instead of following it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		from, to int
		err      error
	}
	batches := make(chan batch, 1)
	go func() {
		defer close(batches)
		for from := 0; from < len(docs); {
			to, size := from, 0
			var todo []Document
			var at []int
			for to < len(docs) && (to == from || size < buildBatchBytes) {
				if isFresh[to] {
					todo, at = append(todo, docs[to]), append(at, to)
					size += len(docs[to].Text)
				}
				to++
			}
			b := batch{from: from, to: to}
			if len(todo) > 0 {
				made, err := prepare(ctx, todo, opt.Tokens, opt.Embedder)
				for n, e := range made {
					entries[at[n]] = e
				}
				b.err = err
			}
			select {
			case batches <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil {
				return
			}
			from = to
		}
	}()
	for b := range batches {
		if b.err != nil {
			return nil, info, b.err
		}
		var chunks []Chunk
		var vecs [][]float32
		for _, e := range entries[b.from:b.to] {
			chunks = append(chunks, e.Chunks...)
			vecs = append(vecs, e.Vectors...)
		}
		if err := ix.addBatch(ctx, docs[b.from:b.to], chunks, vecs, false); err != nil {
			return nil, info, err
		}
		info.Chunks += len(chunks)
	}
	if err := ctx.Err(); err != nil { // the caller's: the batches stopped
		return nil, info, err
	}
	ix.trim()
	info.Loaded = haveSnapshot && fresh == 0
	// Rewrite when something was indexed afresh, or when the file holds
	// documents no longer indexed.
	if opt.SnapshotPath != "" && (fresh > 0 || len(saved) > 0) {
		if err := index.WriteSnapshot(opt.SnapshotPath, entries); err != nil {
			info.SaveErr = fmt.Errorf("save index: %w", err)
		}
	}
	return ix, info, nil
}

// buildBatchBytes is how much document text Build splits and embeds at a
// time while the batch before is indexed.
var buildBatchBytes = 4 << 20

// prepare splits docs and embeds their chunks: one snapshot entry per
// document, in order. Chunks of all documents go to the embedder in shared
// batches.
func prepare(ctx context.Context, docs []Document, tok TokenCounter, e Embedder) ([]snapshotDoc, error) {
	name := index.Name(e)
	chunks := splitAll(docs, tok) // in document order
	out := make([]snapshotDoc, len(docs))
	k := 0
	for i, d := range docs {
		j := k
		for j < len(chunks) && chunks[j].DocID == d.ID {
			j++
		}
		out[i] = snapshotDoc{ID: d.ID, Hash: docHash(d, name), Chunks: chunks[k:j:j]}
		k = j
	}
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = embedText(c)
	}
	vecs, err := index.EmbedAll(ctx, e, texts)
	if err != nil {
		return nil, fmt.Errorf("embed chunks: %w", err)
	}
	k = 0
	for i := range out {
		n := len(out[i].Chunks)
		out[i].Vectors = vecs[k : k+n : k+n]
		k += n
	}
	return out, nil
}

// updateSnapshot rewrites the snapshot at path after an admin change: the
// entry of doc (with its chunks and vectors) replaces any of the same ID, or
// with doc nil, the entry of id goes. The other entries are kept as saved.
// A snapshot that is missing or damaged is left for the next start to
// rebuild: it is a cache, and a partial one would be no better.
func updateSnapshot(path, id string, doc *snapshotDoc) error {
	s, err := index.ReadSnapshot[Chunk](path)
	if err != nil {
		return fmt.Errorf("update index snapshot: %w", err)
	}
	kept := s[:0]
	for _, d := range s {
		if d.ID != id {
			kept = append(kept, d)
		}
	}
	if doc != nil {
		kept = append(kept, *doc)
	}
	if err := index.WriteSnapshot(path, kept); err != nil {
		return fmt.Errorf("update index snapshot: %w", err)
	}
	return nil
}
