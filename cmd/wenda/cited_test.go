package main

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"wenda/rag"
	"wenda/rag/ragtest"
)

// sourceLineRE is the opening of a listed source: "[2] " or "[1][3] ".
var sourceLineRE = regexp.MustCompile(`(?m)^((?:\[\d+\])+) `)

// In llm mode the model is given several sources and cites one: the
// terminal and WeChat list that one, the API keeps them all.
func TestRepliesListCitedSourcesOnly(t *testing.T) {
	const question = "南昌市九年义务教育巩固率有多少?"
	srv := ragtest.NewServer(t, "sk-test")
	srv.ChatFunc(fakeModel("97.01%", ""))
	env := llmEnv(t, srv)
	getenv := func(k string) string { return env[k] }

	var out bytes.Buffer
	if err := run(t.Context(), []string{"ask", question}, getenv, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	answer, list, _ := strings.Cut(out.String(), "\n来源：\n")
	cites := regexp.MustCompile(`\[\d+\]`).FindAllString(answer, -1)
	if len(cites) != 1 {
		t.Fatalf("wenda ask answer cites %q, want one source (the fake model cites one):\n%s", cites, out.String())
	}
	if got := sourceLineRE.FindAllStringSubmatch(list, -1); len(got) != 1 || got[0][1] != cites[0] {
		t.Errorf("wenda ask lists %q, want only %s:\n%s", got, cites[0], out.String())
	}

	cfg, _, err := parseConfig("wenda serve", nil, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := openEngine(t.Context(), cfg, newLogger(0, io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	ref := &engineRef{}
	ref.p.Store(eng)
	reply, err := ref.Answer(t.Context(), question, nil)
	if err != nil {
		t.Fatal(err)
	}
	cites = regexp.MustCompile(`\[\d+\]`).FindAllString(reply.Text, -1)
	if len(cites) != 1 || len(reply.Sources) != 1 || !strings.HasPrefix(reply.Sources[0], cites[0]+" ") {
		t.Errorf("WeChat reply %q cites %q and lists %q, want only the cited source", reply.Text, cites, reply.Sources)
	}
	a, err := eng.Ask(t.Context(), rag.Request{Question: question})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sources) < 2 {
		t.Errorf("API answer has %d sources, want every source the model was given (several)", len(a.Sources))
	}
}
