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

// Load reads every document in the library, sorted by ID. Temporary files of
// an interrupted write are ignored.
func (l *Library) Load() ([]Document, error) {
	entries, err := os.ReadDir(l.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read library: %w", err)
	}
	var docs []Document
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(l.dir, name))
		if err != nil {
			return nil, fmt.Errorf("read library: %w", err)
		}
		var d Document
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("library document %s: %w", name, err)
		}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("library document %s: %w", name, err)
		}
		docs = append(docs, d)
	}
	sort.Slice(docs, func(a, b int) bool { return docs[a].ID < docs[b].ID })
	return docs, nil
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
type Documents struct {
	eng *Engine
	lib *Library

	mu    sync.Mutex
	added map[string]bool
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

// List returns every indexed document.
func (d *Documents) List() []DocumentInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []DocumentInfo
	stats := d.eng.Index().Stats()
	for _, doc := range d.eng.Index().Documents() {
		out = append(out, infoOf(doc, d.added[doc.ID], stats[doc.ID]))
	}
	return out
}

// Add validates, stores and indexes a document. Adding an ID that exists
// replaces it, unless it is built in.
func (d *Documents) Add(ctx context.Context, doc Document) (DocumentInfo, error) {
	if err := doc.Validate(); err != nil {
		return DocumentInfo{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, existing := range d.eng.Index().Documents() {
		if existing.ID == doc.ID && !d.added[doc.ID] {
			return DocumentInfo{}, fmt.Errorf("%w: id %q is a built-in document", ErrInvalidDocument, doc.ID)
		}
	}
	if err := d.lib.Put(doc); err != nil {
		return DocumentInfo{}, fmt.Errorf("store document: %w", err)
	}
	if err := d.eng.Index().Add(ctx, doc); err != nil {
		return DocumentInfo{}, fmt.Errorf("index document: %w", err)
	}
	d.added[doc.ID] = true
	d.eng.Refresh()
	return infoOf(doc, true, d.eng.Index().Stats()[doc.ID]), nil
}

// Remove deletes an added document from the library and the index.
func (d *Documents) Remove(ctx context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.added[id] {
		for _, existing := range d.eng.Index().Documents() {
			if existing.ID == id {
				return ErrReadOnlyDocument
			}
		}
		return ErrDocumentNotFound
	}
	if err := d.lib.Delete(id); err != nil && !errors.Is(err, ErrDocumentNotFound) {
		return fmt.Errorf("delete document: %w", err)
	}
	if err := d.eng.Index().Remove(ctx, id); err != nil {
		return err
	}
	delete(d.added, id)
	d.eng.Refresh()
	return nil
}

func infoOf(doc Document, added bool, s DocumentStats) DocumentInfo {
	return DocumentInfo{
		ID: doc.ID, Title: doc.Title, City: doc.City, Province: doc.Province, Published: doc.Published,
		URL: doc.URL, Kind: doc.Kind, Added: added, Bytes: len(doc.Text), Chunks: s.Chunks, Figures: s.Figures,
	}
}
