package index_test

import (
	"context"
	"slices"
	"testing"

	"wenda/rag"
	"wenda/rag/index"
	"wenda/rag/ragtest"
)

var tok = &rag.LazyTiktoken{Encoding: rag.DefaultEncoding}

// corpus keeps documents in an Index as package rag does: split, embedded,
// one slot a chunk, the lowest free slot reused first.
type corpus struct {
	ix     *index.Index
	tok    rag.TokenCounter
	docs   map[string][]index.Entry
	free   []int32
	next   int32
	cities []string // in the order first seen
}

func newCorpus(t testing.TB, e index.Embedder, tok rag.TokenCounter, docs []rag.Document) *corpus {
	t.Helper()
	c := &corpus{ix: index.New(e), tok: tok, docs: map[string][]index.Entry{}}
	c.add(t, docs...)
	return c
}

func (c *corpus) add(t testing.TB, docs ...rag.Document) {
	t.Helper()
	var chunks []rag.Chunk
	for _, d := range docs {
		chunks = append(chunks, rag.Split(d, c.tok)...)
	}
	texts := make([]string, len(chunks))
	for i, ch := range chunks {
		texts[i] = ch.Section + "\n" + ch.Norm
	}
	vecs, err := index.EmbedAll(context.Background(), c.ix.Embedder(), texts)
	if err != nil {
		t.Fatal(err)
	}
	entries := make([]index.Entry, len(chunks))
	for i, ch := range chunks {
		slot := c.next
		if len(c.free) > 0 {
			slot, c.free = c.free[0], c.free[1:]
		} else {
			c.next++
		}
		entries[i] = index.Entry{Slot: slot, ID: ch.ID, City: ch.City, Text: texts[i], Vector: vecs[i]}
		c.docs[ch.DocID] = append(c.docs[ch.DocID], entries[i])
		if !slices.Contains(c.cities, ch.City) {
			c.cities = append(c.cities, ch.City)
		}
	}
	if err := c.ix.Add(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
}

func (c *corpus) remove(t testing.TB, id string) {
	t.Helper()
	entries := c.docs[id]
	if entries == nil {
		t.Fatalf("no document %s", id)
	}
	if err := c.ix.Remove(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		c.free = append(c.free, e.Slot)
	}
	slices.Sort(c.free)
	delete(c.docs, id)
}

var seedDocs = ragtest.SeedDocs
