package wechat

import (
	"context"
	"time"
)

// Several replicas behind a load balancer serve one account, and WeChat sends the tries of
// one message to whichever it likes. Claims and Conversations, when configured, make them
// behave as one Handler: the first try to arrive anywhere answers (one call to the model,
// one push in customer-service mode), the tries on other replicas send that same reply, and
// a follow-up has its conversation wherever it lands. Without them, or while they cannot be
// reached, each process de-duplicates and remembers on its own, and says so in its log.

// Claims records which try of a message answers it. Claim returns true for the first claim
// of key on any replica; Finish stores the reply made for it; Result returns that reply once
// it is done. An error means the record could not be reached.
type Claims interface {
	Claim(ctx context.Context, key string) (first bool, err error)
	Finish(ctx context.Context, key, reply string) error
	Result(ctx context.Context, key string) (reply string, done bool, err error)
}

// Conversations keeps each citizen's recent conversation (oldest first) for every replica;
// one idle for historyIdle is forgotten. An error means it could not be reached.
type Conversations interface {
	History(ctx context.Context, user string) ([]Message, error)
	SetHistory(ctx context.Context, user string, messages []Message) error
}

// resultPoll is how often a replica that did not claim a message looks for its reply.
const resultPoll = 50 * time.Millisecond

// begin starts answering a message that this process sees for the first time, and returns
// the try it is for the account: 1 when this process answers, 2 when another replica
// claimed it first (its reply is awaited, never made again).
func (h *Handler) begin(ctx context.Context, f *flight, m message, question string) int {
	if h.cfg.Claims == nil {
		h.start(f, m, question)
		return 1
	}
	key := m.ToUserName + "|" + m.key()
	first, err := h.cfg.Claims.Claim(ctx, key)
	switch {
	case err != nil:
		h.log.Warn("wechat shared claims unavailable: de-duplicating per process", "msg_id", m.MsgID, "err", err)
	case !first:
		h.jobs.Go(func() { h.await(f, key) })
		return 2
	default:
		f.published = func(reply string) {
			ctx, cancel := context.WithTimeout(h.base, 2*time.Second)
			defer cancel()
			if err := h.cfg.Claims.Finish(ctx, key, reply); err != nil {
				h.log.Warn("wechat reply not shared with other replicas", "msg_id", m.MsgID, "err", err)
			}
		}
	}
	h.start(f, m, question)
	return 1
}

// await waits for the reply another replica makes, until the last try's budget is over.
func (h *Handler) await(f *flight, key string) {
	deadline := f.start.Add(2*wechatTimeout + h.cfg.PassiveBudget)
	t := time.NewTicker(resultPoll)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(h.base, time.Second)
		reply, done, err := h.cfg.Claims.Result(ctx, key)
		cancel()
		if err == nil && done {
			f.finish(reply)
			return
		}
		select {
		case <-h.base.Done():
			return
		case <-t.C:
		}
		if h.now().After(deadline) {
			h.log.Warn("wechat reply from another replica never came", "shared_error", err != nil)
			return
		}
	}
}

// conversation returns the citizen's recent conversation: the shared one when it can be
// reached, this process's otherwise.
func (h *Handler) conversation(m message, now time.Time) []Message {
	if h.cfg.Conversations != nil {
		ctx, cancel := context.WithTimeout(h.base, time.Second)
		defer cancel()
		msgs, err := h.cfg.Conversations.History(ctx, m.ToUserName+"|"+m.FromUserName)
		if err == nil {
			return msgs
		}
		h.log.Warn("wechat shared history unavailable: using this process's", "err", err)
	}
	return h.history.get(m.FromUserName, now)
}

// remember adds an exchange to the citizen's conversation, here and, when configured, in
// the shared one.
func (h *Handler) remember(m message, now time.Time, question, answer string) {
	h.history.add(m.FromUserName, now, question, answer)
	if h.cfg.Conversations == nil {
		return
	}
	ctx, cancel := context.WithTimeout(h.base, time.Second)
	defer cancel()
	user := m.ToUserName + "|" + m.FromUserName
	msgs, err := h.cfg.Conversations.History(ctx, user)
	if err == nil {
		err = h.cfg.Conversations.SetHistory(ctx, user, appendExchange(msgs, question, answer))
	}
	if err != nil {
		h.log.Warn("wechat shared history not updated", "err", err)
	}
}
