package rag

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Library keeps the documents added at run time in a directory, one JSON
// file per document, written atomically: a process killed mid-add leaves
// either the whole document or none of it.
type Library struct {
	dir string
}

// NewLibrary returns the library in dir (created on first write).
func NewLibrary(dir string) *Library { return &Library{dir: dir} }

func (l *Library) path(id string) string { return filepath.Join(l.dir, id+".json") }

// Skipped is a document left out at start-up, and why.
type Skipped struct {
	Name   string // the file, or the document's ID
	Reason string
}

func (s Skipped) String() string { return s.Name + ": " + s.Reason }

// Load reads every document in the library, sorted by ID, leaving out those
// Scan skips.
func (l *Library) Load() ([]Document, error) {
	docs, _, err := l.Scan()
	return docs, err
}

// Scan reads every document in the library, sorted by ID. A file that cannot
// be read, parsed or validated (a disk error, a truncated copy) is skipped
// and reported, so that one damaged file never keeps the others from being
// served. Temporary files of an interrupted write are ignored. The error is
// for a directory that cannot be listed.
func (l *Library) Scan() ([]Document, []Skipped, error) {
	entries, err := os.ReadDir(l.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read library: %w", err)
	}
	var docs []Document
	var skipped []Skipped
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		d, err := readLibraryFile(filepath.Join(l.dir, name))
		if err != nil {
			skipped = append(skipped, Skipped{Name: filepath.Join(filepath.Base(l.dir), name), Reason: err.Error()})
			continue
		}
		docs = append(docs, d)
	}
	sort.Slice(docs, func(a, b int) bool { return docs[a].ID < docs[b].ID })
	return docs, skipped, nil
}

func readLibraryFile(path string) (Document, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Document{}, err
	}
	var d Document
	if err := json.Unmarshal(raw, &d); err != nil {
		return Document{}, err
	}
	if err := d.Validate(); err != nil {
		return Document{}, err
	}
	if want := d.ID + ".json"; filepath.Base(path) != want {
		return Document{}, fmt.Errorf("%w: id %q does not match the file name", ErrInvalidDocument, d.ID)
	}
	return d, nil
}

// WithoutBuiltIn returns the added documents whose IDs no built-in document
// has, and the others as skipped: an added document never replaces a
// built-in one, even when a seeds directory gains its ID after it was added.
func WithoutBuiltIn(builtin, added []Document) ([]Document, []Skipped) {
	ids := map[string]bool{}
	for _, d := range builtin {
		ids[d.ID] = true
	}
	var keep []Document
	var skipped []Skipped
	for _, d := range added {
		if ids[d.ID] {
			skipped = append(skipped, Skipped{Name: d.ID, Reason: "an added document has the id of a built-in document"})
			continue
		}
		keep = append(keep, d)
	}
	return keep, skipped
}

// Put stores a document, replacing one with the same ID.
func (l *Library) Put(d Document) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return WriteFileAtomic(l.path(d.ID), raw)
}

// Delete removes a document; a missing one is ErrDocumentNotFound.
func (l *Library) Delete(id string) error {
	err := os.Remove(l.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return ErrDocumentNotFound
	}
	return err
}

// Documents administers the documents an engine answers from: the built-in
// ones (embedded seeds and -seeds) are listed but read-only; documents added
// at run time are stored in the library first, then indexed, so they are
// answerable at once and after a restart.
//
// Splitting and embedding a large document takes seconds; it is done before
// any lock is taken, so listing never waits behind an add. Changes are made
// one at a time (write), and the set of added IDs has its own short lock.
type Documents struct {
	eng *Engine
	lib *Library
	// SnapshotPath, when set, is the index snapshot that Build saved: it
	// is rewritten after each change, so that a restart loads added
	// documents rather than indexing them again.
	SnapshotPath string

	write sync.Mutex // held by Add and Remove while they change things

	mu          sync.RWMutex
	added       map[string]bool
	snapshotErr error // the last snapshot update's failure, nil after a success
}

// ErrReadOnlyDocument is returned when deleting a built-in document.
var ErrReadOnlyDocument = errors.New("built-in document cannot be deleted")

// DocumentInfo is a document without its text.
type DocumentInfo struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	City      string `json:"city"`
	Province  string `json:"province"`
	Published string `json:"published"`
	URL       string `json:"url"`
	Kind      string `json:"kind,omitempty"`
	Added     bool   `json:"added"` // added at run time; false for built-in documents
	Bytes     int    `json:"bytes"`
	Chunks    int    `json:"chunks"`
	Figures   int    `json:"figures"` // numbers with units in its sentences and table cells
}

// NewDocuments administers eng's documents, the ones in added having come
// from lib.
func NewDocuments(eng *Engine, lib *Library, added []Document) *Documents {
	d := &Documents{eng: eng, lib: lib, added: map[string]bool{}}
	for _, doc := range added {
		d.added[doc.ID] = true
	}
	return d
}

func (d *Documents) isAdded(id string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.added[id]
}

// List returns every indexed document.
func (d *Documents) List() []DocumentInfo {
	docs := d.eng.Index().Documents()
	stats := d.eng.Index().Stats()
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]DocumentInfo, 0, len(docs))
	for _, doc := range docs {
		out = append(out, infoOf(doc, d.added[doc.ID], stats[doc.ID]))
	}
	return out
}

// SnapshotErr is why the last change could not be saved in the index
// snapshot (nil when it was): the change is served and stored all the same,
// and the next start indexes the document again.
func (d *Documents) SnapshotErr() error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.snapshotErr
}

// builtIn reports whether id is a built-in document's.
func (d *Documents) builtIn(id string) bool {
	if d.isAdded(id) {
		return false
	}
	for _, existing := range d.eng.Index().Documents() {
		if existing.ID == id {
			return true
		}
	}
	return false
}

// Add validates, stores and indexes a document. Adding an ID that exists
// replaces it, unless it is built in.
func (d *Documents) Add(ctx context.Context, doc Document) (DocumentInfo, error) {
	if err := doc.Validate(); err != nil {
		return DocumentInfo{}, err
	}
	if d.builtIn(doc.ID) {
		return DocumentInfo{}, fmt.Errorf("%w: id %q is a built-in document", ErrInvalidDocument, doc.ID)
	}
	ix := d.eng.Index()
	made, err := prepare(ctx, []Document{doc}, ix.tok, ix.embedder)
	if err != nil {
		return DocumentInfo{}, fmt.Errorf("index document: %w", err)
	}
	entry := made[0]

	d.write.Lock()
	defer d.write.Unlock()
	if d.builtIn(doc.ID) { // checked again: the index may have changed meanwhile
		return DocumentInfo{}, fmt.Errorf("%w: id %q is a built-in document", ErrInvalidDocument, doc.ID)
	}
	if err := d.lib.Put(doc); err != nil {
		return DocumentInfo{}, fmt.Errorf("store document: %w", err)
	}
	if err := d.eng.Update(func() error { return ix.addChunks(ctx, []Document{doc}, entry.Chunks, entry.Vectors, true) }); err != nil {
		return DocumentInfo{}, fmt.Errorf("index document: %w", err)
	}
	d.mu.Lock()
	d.added[doc.ID] = true
	d.mu.Unlock()
	d.saveSnapshot(doc.ID, &entry)
	return infoOf(doc, true, d.eng.Index().Stats()[doc.ID]), nil
}

// Remove deletes an added document from the library and the index.
func (d *Documents) Remove(ctx context.Context, id string) error {
	d.write.Lock()
	defer d.write.Unlock()
	if !d.isAdded(id) {
		if d.builtIn(id) {
			return ErrReadOnlyDocument
		}
		return ErrDocumentNotFound
	}
	if err := d.lib.Delete(id); err != nil && !errors.Is(err, ErrDocumentNotFound) {
		return fmt.Errorf("delete document: %w", err)
	}
	if err := d.eng.Update(func() error { return d.eng.Index().Remove(ctx, id) }); err != nil {
		return err
	}
	d.mu.Lock()
	delete(d.added, id)
	d.mu.Unlock()
	d.saveSnapshot(id, nil)
	return nil
}

// saveSnapshot records a change in the snapshot, when there is one. Its
// failure does not undo the change: the snapshot is a cache of the index.
func (d *Documents) saveSnapshot(id string, entry *snapshotDoc) {
	if d.SnapshotPath == "" {
		return
	}
	err := updateSnapshot(d.SnapshotPath, id, entry)
	d.mu.Lock()
	d.snapshotErr = err
	d.mu.Unlock()
}

func infoOf(doc Document, added bool, s DocumentStats) DocumentInfo {
	return DocumentInfo{
		ID: doc.ID, Title: doc.Title, City: doc.City, Province: doc.Province, Published: doc.Published,
		URL: doc.URL, Kind: doc.Kind, Added: added, Bytes: len(doc.Text), Chunks: s.Chunks, Figures: s.Figures,
	}
}
