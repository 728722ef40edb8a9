package api

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/rag"
)

// The OpenAI-compatible endpoints let chatgpt-on-wechat, LangBot, LobeChat,
// Open WebUI and any OpenAI SDK use wenda as their model. They translate the
// chat shape to a rag.Request and the rag.Answer back; the answering is the
// same as POST /api/v1/ask.

// chatModel is the one model id wenda lists and answers as. Any model name is
// accepted in a request: clients send whatever they were configured with.
const chatModel = "wenda"

// sourcesHeader starts the source list appended to a reply. Clients send our
// replies back as history; the list is cut off there again so that it neither
// feeds the follow-up rewriting nor pushes a turn over rag.MaxMessageRunes.
const sourcesHeader = "\n\n来源:\n"

// chatTokens fills usage. Loaded on first use: a server that never sees an
// OpenAI request never pays for the vocabulary.
var chatTokens rag.TokenCounter = &rag.LazyTiktoken{Encoding: rag.DefaultEncoding}

var errNoUserMessage = &apiError{http.StatusBadRequest, "invalid_request", "messages 中没有用户消息"}

type chatRequest struct {
	Model         string        `json:"model"`
	Messages      []chatMessage `json:"messages"`
	Stream        bool          `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

type chatMessage struct {
	Role    rag.Role    `json:"role"`
	Content chatContent `json:"content"`
}

// chatContent is a message's text. OpenAI allows a string or an array of
// parts; the text parts are joined and the others (images, audio) dropped,
// since wenda answers from documents only.
type chatContent string

func (cc *chatContent) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*cc = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*cc = chatContent(s)
		return nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &parts); err != nil {
		return fmt.Errorf("content is neither a string nor an array of parts: %w", err)
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	*cc = chatContent(strings.Join(texts, "\n"))
	return nil
}

type chatCompletion struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   *chatUsage   `json:"usage,omitempty"`
}

// chatChoice is a choice of a completion (Message set) or of a chunk (Delta
// set). FinishReason is null until the last chunk, as OpenAI sends it.
type chatChoice struct {
	Index        int        `json:"index"`
	Message      *chatDelta `json:"message,omitempty"`
	Delta        *chatDelta `json:"delta,omitempty"`
	FinishReason *string    `json:"finish_reason"`
}

type chatDelta struct {
	Role    rag.Role `json:"role,omitempty"`
	Content string   `json:"content,omitempty"`
}

type chatUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type modelList struct {
	Object string  `json:"object"`
	Data   []model `json:"data"`
}

type model struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// handleModels answers GET /v1/models with the one model, wenda.
func (s *Server) handleModels() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.JSON(http.StatusOK, modelList{Object: "list", Data: []model{{
			ID: chatModel, Object: "model", Created: s.start.Unix(), OwnedBy: chatModel,
		}}})
	}
}

// handleChatCompletions answers POST /v1/chat/completions, as one
// chat.completion or, with "stream": true, as chat.completion.chunk events
// ending in [DONE]. Errors come in OpenAI's shape, with the statuses of the
// rest of the API.
func (s *Server) handleChatCompletions() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req chatRequest
		asker, err := s.openQuestion(c, &req)
		if err != nil {
			s.writeOpenAIError(c, err)
			return
		}
		rr, err := req.ragRequest()
		if err != nil {
			s.writeOpenAIError(c, err)
			return
		}
		if !req.Stream {
			a, err := s.answer(c, asker, rr, rag.Events{})
			if err != nil {
				s.writeOpenAIError(c, err)
				return
			}
			reply := replyText(a)
			usage := req.usage(reply)
			stop := "stop"
			c.JSON(http.StatusOK, chatCompletion{
				ID: completionID(), Object: "chat.completion", Created: time.Now().Unix(), Model: chatModel,
				Choices: []chatChoice{{Message: &chatDelta{Role: rag.RoleAssistant, Content: reply}, FinishReason: &stop}},
				Usage:   &usage,
			})
			return
		}
		// The answer is streamed as the engine releases it: in llm mode a
		// sentence at a time, each once it passed the claim check, so that
		// nothing a client shows is ever taken back. The cited sources
		// follow the answer.
		st := &chunkStream{sse: sseStream{c: c}, id: completionID(), created: time.Now().Unix()}
		a, err := s.answer(c, asker, rr, rag.Events{Delta: st.content})
		if err != nil {
			if !st.sse.started {
				s.writeOpenAIError(c, err)
				return
			}
			s.logFailure(c, err, classify(err))
			return // no [DONE]: the client sees the reply broke off
		}
		if !st.sse.started {
			st.content(a.Answer)
		}
		st.content(sourcesText(a))
		var usage *chatUsage
		if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
			u := req.usage(replyText(a))
			usage = &u
		}
		st.finish(usage)
	}
}

// chunkStream writes a reply as chat.completion.chunk events: the role
// first, the text as it comes, then the stop, the usage when asked for,
// and [DONE].
type chunkStream struct {
	sse     sseStream
	id      string
	created int64
}

func (st *chunkStream) chunk(delta chatDelta, finish *string) chatCompletion {
	return chatCompletion{
		ID: st.id, Object: "chat.completion.chunk", Created: st.created, Model: chatModel,
		Choices: []chatChoice{{Delta: &delta, FinishReason: finish}},
	}
}

// start sends the role, once.
func (st *chunkStream) start() {
	if !st.sse.started {
		st.sse.json("", st.chunk(chatDelta{Role: rag.RoleAssistant}, nil))
	}
}

// content sends text, in pieces of about 16 characters.
func (st *chunkStream) content(text string) {
	st.start()
	for _, piece := range rag.Pieces(text, 16) {
		st.sse.json("", st.chunk(chatDelta{Content: piece}, nil))
	}
}

func (st *chunkStream) finish(usage *chatUsage) {
	st.start()
	stop := "stop"
	st.sse.json("", st.chunk(chatDelta{}, &stop))
	if usage != nil {
		st.sse.json("", chatCompletion{
			ID: st.id, Object: "chat.completion.chunk", Created: st.created, Model: chatModel,
			Choices: []chatChoice{}, Usage: usage,
		})
	}
	st.sse.event("", []byte("[DONE]"))
}

// ragRequest takes the last user message as the question and the user and
// assistant messages before it as the history, keeping the last
// rag.MaxHistory of them. System prompts are dropped: the clients' own
// ("You are a helpful assistant") would only fight wenda's.
func (r chatRequest) ragRequest() (rag.Request, error) {
	last := -1
	for i, m := range r.Messages {
		if m.Role == rag.RoleUser {
			last = i
		}
	}
	if last < 0 {
		return rag.Request{}, errNoUserMessage
	}
	history := []rag.Message{}
	for _, m := range r.Messages[:last] {
		content := string(m.Content)
		switch m.Role {
		case rag.RoleAssistant:
			content, _, _ = strings.Cut(content, sourcesHeader)
		case rag.RoleUser:
		default:
			continue
		}
		history = append(history, rag.Message{Role: m.Role, Content: content})
	}
	if len(history) > rag.MaxHistory {
		history = history[len(history)-rag.MaxHistory:]
	}
	return rag.Request{Question: string(r.Messages[last].Content), History: history}, nil
}

// usage counts every message sent and the reply. completion_tokens is at
// least 1: chatgpt-on-wechat rejects a completion of 0 tokens.
func (r chatRequest) usage(reply string) chatUsage {
	var u chatUsage
	for _, m := range r.Messages {
		u.PromptTokens += chatTokens.Count(string(m.Content))
	}
	u.CompletionTokens = max(1, chatTokens.Count(reply))
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

// replyText is the answer followed by the sources it cites, one line each
// ("[N] 标题(城市,日期) 章节", rag.SourceLines), so that a chat client with
// no notion of sources still shows them.
func replyText(a rag.Answer) string {
	return a.Answer + sourcesText(a)
}

// sourcesText is the list of cited sources appended to a reply, "" when it
// cites none.
func sourcesText(a rag.Answer) string {
	lines := rag.SourceLines(a)
	if len(lines) == 0 {
		return ""
	}
	return sourcesHeader + strings.Join(lines, "\n")
}

func completionID() string {
	var b [12]byte
	rand.Read(b[:])
	return "chatcmpl-" + hex.EncodeToString(b[:])
}

type openAIErrorBody struct {
	Error openAIErrorDetail `json:"error"`
}

type openAIErrorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    string  `json:"code"`
}

// writeOpenAIError is writeError in OpenAI's error shape, for the clients of
// /v1: the same statuses and codes, 5xx logged with the request id and their
// details hidden.
func (s *Server) writeOpenAIError(c *gin.Context, err error) {
	ae := classify(err)
	s.logFailure(c, err, ae)
	typ := "invalid_request_error"
	if ae.status >= 500 {
		typ = "server_error"
	}
	if refusesBody(ae.status) {
		closeAfter(c)
	}
	c.AbortWithStatusJSON(ae.status, openAIErrorBody{Error: openAIErrorDetail{
		Message: ae.message, Type: typ, Code: ae.code,
	}})
}
