package rag

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZRewrite(t *testing.T) {
	g := NewGazetteer([]Document{{City: "南昌市"}, {City: "巴中市"}, {City: "九江市"}})
	for _, pair := range strings.Split(os.Getenv("DEBUGQ"), "|") {
		prev, cur, _ := strings.Cut(pair, "=>")
		fmt.Printf("%s => %s :: %s\n", prev, cur, rewrite(cur, prev, g))
	}
}
