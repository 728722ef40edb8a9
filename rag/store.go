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

// snapshot is the saved index: the chunks and their vectors, keyed by the
// hash of everything they were made from.
type snapshot struct {
	Hash    string
	Chunks  []Chunk
	Vectors [][]float32
}

// snapshotMagic starts every snapshot file; a sha256 of the gob body ends it,
// so a truncated or damaged file is detected and rebuilt, never served.
const snapshotMagic = "wenda-index-v1\n"

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
	if len(s.Chunks) != len(s.Vectors) {
		return nil, errBadSnapshot
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
	Loaded  bool  // from the snapshot; false when rebuilt
	Rebuilt error // why the snapshot was not used (nil when there was none)
	Chunks  int
}

// Build indexes docs, loading the saved snapshot when it was made from the
// same documents and embedder, and rebuilding (and saving) it otherwise.
// A damaged snapshot is rebuilt, never served.
func Build(ctx context.Context, docs []Document, opt BuildOptions) (*Index, BuildInfo, error) {
	ix, err := NewIndex(opt.Embedder, opt.Tokens)
	if err != nil {
		return nil, BuildInfo{}, err
	}
	hash := contentHash(docs, embedderName(opt.Embedder))
	var info BuildInfo
	if opt.SnapshotPath != "" {
		s, err := readSnapshot(opt.SnapshotPath)
		switch {
		case err == nil && s.Hash == hash:
			if err := ix.addChunks(ctx, docs, s.Chunks, s.Vectors, false); err != nil {
				return nil, info, err
			}
			info.Loaded, info.Chunks = true, len(s.Chunks)
			return ix, info, nil
		case err == nil:
			info.Rebuilt = errors.New("documents or embedder changed")
		case !errors.Is(err, os.ErrNotExist):
			info.Rebuilt = err
		}
	}
	chunks := splitAll(docs, opt.Tokens)
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = embedText(c)
	}
	vecs, err := embedBatched(ctx, opt.Embedder, texts)
	if err != nil {
		return nil, info, fmt.Errorf("embed chunks: %w", err)
	}
	if err := ix.addChunks(ctx, docs, chunks, vecs, false); err != nil {
		return nil, info, err
	}
	info.Chunks = len(chunks)
	if opt.SnapshotPath != "" {
		if err := writeSnapshot(opt.SnapshotPath, &snapshot{Hash: hash, Chunks: chunks, Vectors: vecs}); err != nil {
			return nil, info, fmt.Errorf("save index: %w", err)
		}
	}
	return ix, info, nil
}
