package rag

import (
	"context"
	"fmt"
	"os"
	"testing"

	"wenda/rag/zh"
	"wenda/seeds"
)

func TestZZH3(t *testing.T) {
	docs, _ := LoadDir(seeds.FS())
	ix, _, _ := Build(context.Background(), docs, BuildOptions{Embedder: NewHashEmbedder(0), Tokens: &LazyTiktoken{Encoding: DefaultEncoding}})
	e := NewEngine(ix)
	g, _ := e.gazetteer()
	q := parseQuery(zh.Normalize(os.Getenv("DEBUGQ")), g)
	fmt.Println(e.homophoneRepair(q))
	fmt.Println(e.mistyped(q), q.metric)
}
