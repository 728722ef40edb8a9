package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SnapshotDoc is one document's entry in a snapshot: its chunks (of the
// caller's type C, encoded with gob) and their vectors, keyed by the hash
// of everything they were made from. Entries are per document so that a
// change to one document re-indexes that document only.
type SnapshotDoc[C any] struct {
	ID      string
	Hash    string
	Chunks  []C
	Vectors [][]float32
}

// snapshot is the saved index.
type snapshot[C any] struct {
	Docs []SnapshotDoc[C]
}

// snapshotMagic starts every snapshot file; a sha256 of the gob body ends it,
// so a truncated or damaged file is detected and rebuilt, never served.
const snapshotMagic = "wenda-index-v2\n"

// ErrBadSnapshot is returned for a snapshot file that is truncated,
// damaged or not a snapshot.
var ErrBadSnapshot = errors.New("damaged index snapshot")

// ReadSnapshot reads the snapshot at path.
func ReadSnapshot[C any](path string) ([]SnapshotDoc[C], error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(raw) < len(snapshotMagic)+sha256.Size || string(raw[:len(snapshotMagic)]) != snapshotMagic {
		return nil, ErrBadSnapshot
	}
	body := raw[len(snapshotMagic) : len(raw)-sha256.Size]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], raw[len(raw)-sha256.Size:]) {
		return nil, ErrBadSnapshot
	}
	var s snapshot[C]
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	for _, d := range s.Docs {
		if len(d.Chunks) != len(d.Vectors) {
			return nil, ErrBadSnapshot
		}
	}
	return s.Docs, nil
}

// WriteSnapshot saves docs at path, atomically.
func WriteSnapshot[C any](path string, docs []SnapshotDoc[C]) error {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(&snapshot[C]{Docs: docs}); err != nil {
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
