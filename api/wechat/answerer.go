package wechat

import "context"

// Answerer answers one citizen question with the conversation so far (oldest first).
// It honours ctx's deadline: with a deadline near, it returns the quickest good answer it has.
//
// An error means no answer at all could be produced; the citizen then gets a kind fixed text.
// A Reply with Answered false is not an error: its Text (the polite "not in the documents"
// reply) is sent as it is.
type Answerer interface {
	Answer(ctx context.Context, question string, history []Message) (Reply, error)
}

// AnswererFunc adapts a function to the Answerer interface.
type AnswererFunc func(ctx context.Context, question string, history []Message) (Reply, error)

var _ Answerer = AnswererFunc(nil)

// Answer calls f(ctx, question, history).
func (f AnswererFunc) Answer(ctx context.Context, question string, history []Message) (Reply, error) {
	return f(ctx, question, history)
}

// Message is one turn of a conversation. Role is "user" or "assistant".
type Message struct{ Role, Content string }

// Reply is an Answerer's answer.
type Reply struct {
	Text     string // plain answer text, may contain [n] citation markers
	Answered bool   // false when the documents do not hold the answer
	// Sources are the sources Text cites, one line each, opening with the
	// [n] markers Text cites it by: "[1] 南昌市教育事业发展“十四五”规划(南昌市,2022)".
	// The Answerer lists only what Text cites (in practice rag.SourceLines).
	Sources []string
}

// Roles of a Message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)
