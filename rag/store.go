package rag

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// splitterVersion is part of the snapshot's content hash: bump it when Split
// changes what it produces, so saved indexes are rebuilt.
const splitterVersion = "split-9"

// snapshot is the saved index: for each document, its chunks and their
// vectors, keyed by the hash of everything they were made from. Entries are
// per document so that a change to one document (an admin add or delete)
// re-indexes that document only, at start-up as when it is made.
type snapshot struct {
	Docs []snapshotDoc
}

type snapshotDoc struct {
	ID      string
	Hash    string // docHash of the document and the embedder
	Chunks  []Chunk
	Vectors [][]float32
}

// snapshotMagic starts every snapshot file; a sha256 of the gob body ends it,
// so a truncated or damaged file is detected and rebuilt, never served.
const snapshotMagic = "wenda-index-v2\n"

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

var errBadSnapshot = errors.New("damaged index snapshot")

func readSnapshot(path string) (*snapshot, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) < len(snapshotMagic)+sha256.Size || string(raw[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errBadSnapshot
	}
	body := raw[len(snapshotMagic) : len(raw)-sha256.Size]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], raw[len(raw)-sha256.Size:]) {
		return nil, errBadSnapshot
	}
	var s snapshot
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadSnapshot, err)
	}
	for _, d := range s.Docs {
		if len(d.Chunks) != len(d.Vectors) {
			return nil, errBadSnapshot
		}
	}
	return &s, nil
}

func writeSnapshot(path string, s *snapshot) error {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(s); err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	sum := sha256.Sum256(body.Bytes())
	var out bytes.Buffer
	out.WriteString(snapshotMagic)
	out.Write(body.Bytes())
	out.Write(sum[:])
	return WriteFileAtomic(path, out.Bytes())
}

// WriteFileAtomic writes data to a temporary file in path's directory,
// syncs it and renames it over path: readers see the old file or the new
// one, never half of one, even if the process dies mid-write.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Named is implemented by embedders whose name belongs in the content hash.
type Named interface{ Name() string }

func embedderName(e Embedder) string {
	if n, ok := e.(Named); ok {
		return n.Name()
	}
	return fmt.Sprintf("%T", e)
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
	name := embedderName(opt.Embedder)
	var info BuildInfo
	saved := map[string]*snapshotDoc{}
	haveSnapshot := false
	if opt.SnapshotPath != "" {
		s, err := readSnapshot(opt.SnapshotPath)
		switch {
		case err == nil:
			haveSnapshot = true
			for i := range s.Docs {
				saved[s.Docs[i].Hash] = &s.Docs[i]
			}
		case !errors.Is(err, os.ErrNotExist):
			info.Rebuilt = err
		}
	}
	entries := make([]snapshotDoc, len(docs))
	var fresh []Document
	var freshAt []int
	for i, d := range docs {
		if e, ok := saved[docHash(d, name)]; ok {
			entries[i] = *e
			delete(saved, e.Hash)
			continue
		}
		fresh = append(fresh, d)
		freshAt = append(freshAt, i)
	}
	if len(fresh) > 0 {
		made, err := prepare(ctx, fresh, opt.Tokens, opt.Embedder)
		if err != nil {
			return nil, info, err
		}
		for n, e := range made {
			entries[freshAt[n]] = e
		}
		if haveSnapshot {
			info.Rebuilt = errors.New("documents or embedder changed")
		}
	}
	var chunks []Chunk
	var vecs [][]float32
	for _, e := range entries {
		chunks = append(chunks, e.Chunks...)
		vecs = append(vecs, e.Vectors...)
	}
	if err := ix.addChunks(ctx, docs, chunks, vecs, false); err != nil {
		return nil, info, err
	}
	info.Chunks = len(chunks)
	info.Loaded = haveSnapshot && len(fresh) == 0
	// Rewrite when something was indexed afresh, or when the file holds
	// documents no longer indexed.
	if opt.SnapshotPath != "" && (len(fresh) > 0 || len(saved) > 0) {
		if err := writeSnapshot(opt.SnapshotPath, &snapshot{Docs: entries}); err != nil {
			info.SaveErr = fmt.Errorf("save index: %w", err)
		}
	}
	return ix, info, nil
}

// prepare splits docs and embeds their chunks: one snapshot entry per
// document, in order. Chunks of all documents go to the embedder in shared
// batches.
func prepare(ctx context.Context, docs []Document, tok TokenCounter, e Embedder) ([]snapshotDoc, error) {
	name := embedderName(e)
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
	vecs, err := embedBatched(ctx, e, texts)
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
	s, err := readSnapshot(path)
	if err != nil {
		return fmt.Errorf("update index snapshot: %w", err)
	}
	kept := s.Docs[:0]
	for _, d := range s.Docs {
		if d.ID != id {
			kept = append(kept, d)
		}
	}
	if doc != nil {
		kept = append(kept, *doc)
	}
	s.Docs = kept
	if err := writeSnapshot(path, s); err != nil {
		return fmt.Errorf("update index snapshot: %w", err)
	}
	return nil
}
