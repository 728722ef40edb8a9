package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

// TestOpenAISDKNode drives a running wenda with the official openai npm
// package (installed by .ci/run into interop/node_modules): plain and
// streamed completions, usage filled, and the model list.
func TestOpenAISDKNode(t *testing.T) {
	dir, _ := filepath.Abs(filepath.Join("..", "..", "interop"))
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(dir, "node_modules", "openai"))
	if err != nil || modErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or the openai npm package is missing in CI (node: %v, package: %v): .ci/run installs them", err, modErr)
		}
		t.Skip("needs node and `npm install --prefix interop` (done by .ci/run)")
	}
	base := startServe(t, map[string]string{})
	out, err := exec.CommandContext(t.Context(), node, filepath.Join(dir, "openai-client.mjs"), base+"/v1").Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("node client failed: %v\n%s", err, ee.Stderr)
	}
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Models      []string `json:"models"`
		Plain       string   `json:"plain"`
		PlainUsage  openai.Usage
		Streamed    string `json:"streamed"`
		StreamUsage *struct {
			CompletionTokens int `json:"completion_tokens"`
		} `json:"stream_usage"`
		Chunks int `json:"chunks"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("client output %s: %v", out, err)
	}
	if len(got.Models) != 1 || got.Models[0] != "wenda" {
		t.Errorf("models = %v, want [wenda]", got.Models)
	}
	if !strings.Contains(got.Plain, "97.01") || !strings.Contains(got.Plain, "来源") {
		t.Errorf("plain answer = %q, want 97.01 and a 来源 list", got.Plain)
	}
	if got.Streamed != got.Plain || got.Chunks < 3 {
		t.Errorf("streamed answer (%d chunks) = %q, want the plain answer in several chunks", got.Chunks, got.Streamed)
	}
	if got.StreamUsage == nil || got.StreamUsage.CompletionTokens <= 0 {
		t.Errorf("stream usage = %+v, want completion_tokens > 0", got.StreamUsage)
	}
}

// TestOpenAISDKGo drives a running wenda with go-openai, plain and streamed.
func TestOpenAISDKGo(t *testing.T) {
	base := startServe(t, map[string]string{})
	cfg := openai.DefaultConfig("not-needed")
	cfg.BaseURL = base + "/v1"
	client := openai.NewClientWithConfig(cfg)
	req := openai.ChatCompletionRequest{Model: "wenda", Messages: []openai.ChatCompletionMessage{
		{Role: "user", Content: "南昌义务教育巩固率是多少"},
		{Role: "assistant", Content: "南昌市2020年九年义务教育巩固率为97.01%"},
		{Role: "user", Content: "那2025年的目标呢?"},
	}}
	resp, err := client.CreateChatCompletion(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Choices[0].Message.Content, "97.68") || resp.Usage.CompletionTokens <= 0 {
		t.Errorf("follow-up = %q usage %+v, want 97.68 and completion tokens", resp.Choices[0].Message.Content, resp.Usage)
	}
	req.Stream = true
	stream, err := client.CreateChatCompletionStream(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(chunk.Choices) > 0 {
			text.WriteString(chunk.Choices[0].Delta.Content)
		}
	}
	if text.String() != resp.Choices[0].Message.Content {
		t.Errorf("streamed = %q, want %q", text.String(), resp.Choices[0].Message.Content)
	}
}
