package wechat

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Texts the Handler sends on its own.
const (
	welcomeText = "您好,欢迎关注!我可以根据已公开的政府文件回答您的问题,并注明出处。您可以这样问:\n" +
		"1. 南昌义务教育巩固率是多少?\n" +
		"2. 九江“十四五”期间财政性教育经费投入多少?\n" +
		"3. 巴中到2027年普惠性学前教育覆盖率目标是多少?"
	onlyTextText = "抱歉,目前只能回答文字提问。请直接输入您的问题,例如:南昌义务教育巩固率是多少?"
	emptyText    = "请输入您想了解的问题,例如:南昌义务教育巩固率是多少?"
	tooLongText  = "您的问题有点长,请精简到%d字以内再发送。" // %d: Config.MaxQuestionRunes
	failedText   = "抱歉,暂时无法回答您的问题,请稍后再试。"
	slowText     = "抱歉,这个问题查询用时较长,请稍后再发送一次。"
)

const (
	// maxBody bounds a callback body. WeChat's messages are well under 4 KiB.
	maxBody = 64 << 10
	// maxClockSkew is how far a request's timestamp may be from our clock. The signature
	// does not expire, so without this a captured request could be replayed forever.
	maxClockSkew = 5 * time.Minute
	// pushAnswerTimeout bounds the Answerer in customer-service mode. Nobody holds a
	// connection open, so it may take longer than the passive budget, but a citizen waiting
	// in the chat will not wait much longer than this.
	pushAnswerTimeout = 30 * time.Second
	// pushSendTimeout bounds sending an answer's messages, token fetch included.
	pushSendTimeout = 30 * time.Second
)

// Handler serves WeChat's callbacks on GET and POST /wechat/mp. It is safe for concurrent use.
type Handler struct {
	cfg      Config
	answerer Answerer
	crypter  *crypter   // nil in plaintext mode
	api      *apiClient // nil in passive mode
	log      *slog.Logger
	flights  *flights
	history  *histories
	replays  *replays
	// salt keys the digests in the logs: an unsalted hash of an OpenID is the same in
	// every deployment, and a list of OpenIDs would find a citizen in them.
	salt []byte
	now  func() time.Time

	// Answers outlive the requests that start them; base is their parent, cancelled by
	// Shutdown when they overstay, and jobs counts them.
	base context.Context
	stop context.CancelFunc
	jobs sync.WaitGroup
}

var _ http.Handler = (*Handler)(nil)

// New checks cfg and returns a Handler that answers with answerer.
func New(cfg Config, answerer Answerer) (*Handler, error) {
	cfg, err := cfg.withDefaults()
	if answerer == nil {
		err = errors.Join(err, errors.New("answerer is nil"))
	}
	var c *crypter
	if cfg.EncodingAESKey != "" {
		var cerr error
		if c, cerr = newCrypter(cfg.EncodingAESKey, cfg.AppID); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("wechat config: %w", err)
	}
	h := &Handler{
		cfg:      cfg,
		answerer: answerer,
		crypter:  c,
		log:      cfg.Logger,
		flights:  newFlights(),
		history:  newHistories(),
		replays:  newReplays(),
		salt:     newSalt(),
		now:      time.Now,
	}
	if cfg.Mode == ModeCustomerService {
		h.api = newAPIClient(cfg)
	}
	h.base, h.stop = context.WithCancel(context.Background())
	return h, nil
}

// Shutdown waits for the answers still being made or pushed, or until ctx is done, when it
// cancels them and returns ctx's error. Call it after the HTTP server's Shutdown has
// returned, so no new question arrives meanwhile.
func (h *Handler) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		h.jobs.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		h.stop()
		return ctx.Err()
	}
}

// ServeHTTP answers GET (URL verification) and POST (messages and events).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		h.verifyURL(w, r)
	case http.MethodPost:
		h.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	}
}

// verifyURL answers the check WeChat makes when the server URL is saved in 公众平台:
// echostr back when the signature holds. With msg_signature and an AES key, echostr is
// encrypted (as WeCom does, and as LangBot accepts for accounts in safe mode): the
// signature then covers it, and the answer is its plaintext.
func (h *Handler) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ts, nonce, echo := q.Get("timestamp"), q.Get("nonce"), q.Get("echostr")
	if !h.fresh(ts) {
		h.forbid(w, r, "timestamp missing or too far from our clock")
		return
	}
	if ms := q.Get("msg_signature"); ms != "" && h.crypter != nil {
		if !validSignature(ms, h.cfg.Token, ts, nonce, echo) {
			h.forbid(w, r, "bad msg_signature")
			return
		}
		plain, err := h.crypter.decrypt(echo)
		if err != nil {
			h.forbid(w, r, "echostr does not decrypt")
			return
		}
		echo = string(plain)
	} else if !validSignature(q.Get("signature"), h.cfg.Token, ts, nonce) {
		h.forbid(w, r, "bad signature")
		return
	}
	writeText(w, echo)
}

// request is one authenticated callback.
type request struct {
	msg       message
	encrypted bool   // the reply must be encrypted too
	ts, nonce string // sign the encrypted reply
}

// receive answers a message or an event. Whatever WeChat sends, once the signature holds
// the answer is a 200: a reply, or "success" for what needs none, since any other status
// or an invalid body makes WeChat show the citizen "该公众号暂时无法提供服务".
func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ts, nonce, sig, msgSig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature"), q.Get("msg_signature")
	if !h.fresh(ts) {
		h.forbid(w, r, "timestamp missing or too far from our clock")
		return
	}
	if !validNonce(nonce) {
		h.forbid(w, r, "nonce missing or malformed")
		return
	}
	// WeChat signs the URL on every callback; in safe mode it also signs the ciphertext.
	// A URL signature that is present must hold, and one of the two must be present.
	if sig != "" && !validSignature(sig, h.cfg.Token, ts, nonce) || sig == "" && msgSig == "" {
		h.forbid(w, r, "bad or missing signature")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.log.Warn("wechat body too large", "remote", r.RemoteAddr)
			http.Error(w, http.StatusText(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge)
		}
		return
	}
	env, err := parseMessage(body)
	if err != nil {
		h.log.Warn("wechat unreadable message", "bytes", len(body))
		writeText(w, "success")
		return
	}
	req := request{msg: env, ts: ts, nonce: nonce}
	switch {
	case env.Encrypt != "" && h.crypter != nil:
		if !validSignature(msgSig, h.cfg.Token, ts, nonce, env.Encrypt) {
			h.forbid(w, r, "bad or missing msg_signature")
			return
		}
		plain, err := h.crypter.decrypt(env.Encrypt)
		if err != nil {
			h.log.Warn("wechat undecryptable message", "bytes", len(body), "err", err)
			writeText(w, "success")
			return
		}
		if req.msg, err = parseMessage(plain); err != nil {
			h.log.Warn("wechat unreadable message", "bytes", len(plain), "encrypted", true)
			writeText(w, "success")
			return
		}
		req.encrypted = true
	case h.crypter != nil:
		// Only msg_signature covers the body; the URL signature alone would let anyone who
		// saw one callback URL post other messages for a few minutes.
		h.forbid(w, r, "plaintext message but an AES key is configured: the account must use 安全模式 or 兼容模式")
		return
	case sig == "":
		h.forbid(w, r, "plaintext message without signature")
		return
	case env.Encrypt != "" && env.MsgType == "":
		h.log.Error("wechat encrypted message but no encoding AES key configured")
		writeText(w, "success")
		return
	}

	m := req.msg
	// Ids are checked before they key any table (a message with none needs no answer); then
	// the URL's (timestamp, nonce) must not have come before with another body.
	if (m.FromUserName != "" || m.ToUserName != "" || m.MsgType != "") && (!validID(m.FromUserName) || !validID(m.ToUserName)) {
		h.log.Warn("wechat message with malformed ids", "remote", r.RemoteAddr,
			"from_bytes", len(m.FromUserName), "to_bytes", len(m.ToUserName))
		writeText(w, "success")
		return
	}
	sec, _ := strconv.ParseInt(ts, 10, 64)
	if !h.replays.check(ts, nonce, body, h.now(), time.Unix(sec, 0).Add(maxClockSkew)) {
		h.forbid(w, r, "timestamp and nonce replayed with another body")
		return
	}
	switch {
	case m.MsgType == "text":
		h.text(w, r, req)
	case m.MsgType == "event" && strings.EqualFold(m.Event, "subscribe"):
		h.reply(w, req, welcomeText)
	case m.MsgType == "event", m.MsgType == "":
		writeText(w, "success")
	default: // image, voice, video, shortvideo, location, link, file, …
		h.reply(w, req, onlyTextText)
	}
}

// text answers a citizen's question.
func (h *Handler) text(w http.ResponseWriter, r *http.Request, req request) {
	m := req.msg
	question := strings.TrimSpace(m.Content)
	switch {
	case question == "":
		h.reply(w, req, emptyText)
		return
	case h.cfg.MaxQuestionRunes > 0 && utf8.RuneCountInString(question) > h.cfg.MaxQuestionRunes:
		h.reply(w, req, fmt.Sprintf(tooLongText, h.cfg.MaxQuestionRunes))
		return
	}
	arrival := h.now()
	f, try := h.flights.join(m.key(), arrival)
	if try == 1 {
		try = h.begin(r.Context(), f, m, question)
	}
	h.log.Info("wechat question", "user", h.digest(m.FromUserName), "msg_id", m.MsgID, "try", try,
		"len", utf8.RuneCountInString(question), "hash", h.digest(question))
	if h.cfg.Mode == ModeCustomerService {
		if try == 1 {
			writeText(w, "success")
			return
		}
		// WeChat re-sent the message, so it did not get our "success". The answer is on its
		// way as a push; only if that push failed is it sent here instead.
		t := time.NewTimer(h.cfg.PassiveBudget)
		defer t.Stop()
		select {
		case <-f.done:
			if f.reply != "" {
				h.reply(w, req, f.reply)
				return
			}
		case <-t.C:
		case <-r.Context().Done():
			return
		}
		writeText(w, "success")
		return
	}

	// Passive mode. Wait for the answer while WeChat holds the connection. A try that is not
	// the last writes nothing when the answer is late: WeChat then drops the connection at
	// 5 s and tries again, and the retry gets the answer when it is ready ("success" or an
	// empty body would end the retries, and the answer with them). The last try, at its
	// budget, sends a kind text instead of leaving the citizen with WeChat's error.
	select {
	case <-f.done:
		h.reply(w, req, f.reply)
		return
	default:
	}
	giveUp := f.start.Add(2*wechatTimeout + h.cfg.PassiveBudget) // the third try's budget, on schedule
	if mine := arrival.Add(h.cfg.PassiveBudget); try >= 3 && mine.Before(giveUp) {
		giveUp = mine
	}
	t := time.NewTimer(giveUp.Sub(arrival))
	defer t.Stop()
	select {
	case <-f.done:
		h.reply(w, req, f.reply)
	case <-t.C:
		h.log.Warn("wechat answer too slow for a passive reply", "user", h.digest(m.FromUserName), "msg_id", m.MsgID, "try", try)
		h.reply(w, req, slowText)
	case <-r.Context().Done():
		// WeChat hung up; its next try joins the same flight.
	}
}

// start makes the answer to a message's first try in the background, detached from the
// request: in passive mode the request may end (WeChat hangs up at 5 s) while its retry
// still wants the answer, and in customer-service mode the request ends at once.
func (h *Handler) start(f *flight, m message, question string) {
	history := h.conversation(m, f.start)
	h.jobs.Go(func() {
		if h.cfg.Mode == ModeCustomerService {
			h.push(f, m, question, history)
			return
		}
		// The Answerer's deadline is the budget of the first try, so a well-behaved Answerer
		// answers within it; the retries only save an answer that comes late anyway.
		ctx, cancel := context.WithDeadline(h.base, f.start.Add(h.cfg.PassiveBudget))
		defer cancel()
		r, err := h.answer(ctx, f, m, question, history)
		if err != nil {
			f.finish(failedText)
			return
		}
		f.finish(render(r, 1)[0])
	})
}

// push answers in customer-service mode: up to maxPushMessages messages through the API.
//
// If a message cannot be pushed (no 客服 permission, the citizen's 48-hour window or quota
// used up, the API unreachable), the rest of the answer is kept on the flight as a passive
// reply. That saves it only if WeChat sends the message again, which it does not after our
// "success" unless that reply was lost: it costs nothing and keeps the answer rather than
// dropping it, but in practice a failed push is mostly visible in the logs. Replying
// passively whenever the answer is quick and pushing only late ones would make delivery
// independent of the API for quick answers, but cap them at one message; every answer is
// pushed so that a long one gets its five.
func (h *Handler) push(f *flight, m message, question string, history []Message) {
	ctx, cancel := context.WithTimeout(h.base, pushAnswerTimeout)
	r, err := h.answer(ctx, f, m, question, history)
	cancel()
	parts, fallback := []string{failedText}, failedText
	if err == nil {
		parts, fallback = render(r, maxPushMessages), render(r, 1)[0]
	}

	ctx, cancel = context.WithTimeout(h.base, pushSendTimeout)
	defer cancel()
	for i, p := range parts {
		err := h.api.sendText(ctx, m.FromUserName, p)
		if err == nil {
			continue
		}
		attrs := []any{"user", h.digest(m.FromUserName), "msg_id", m.MsgID, "sent", i, "parts", len(parts), "err", err}
		if e, ok := errors.AsType[*apiError](err); ok && e.Code == 48001 {
			h.log.Error("wechat push not permitted: customer_service mode needs a verified account, else use passive", attrs...)
		} else {
			h.log.Warn("wechat push failed; answer kept for a retry", attrs...)
		}
		if i > 0 {
			fallback = truncate(strings.Join(parts[i:], "\n"), maxMessageBytes)
		}
		f.finish(fallback)
		return
	}
	f.finish("")
}

// answer calls the Answerer, logs the outcome without the text, and records the exchange in
// the citizen's history. A panic in the Answerer is an error, not a crashed server.
func (h *Handler) answer(ctx context.Context, f *flight, m message, question string, history []Message) (r Reply, err error) {
	openID := m.FromUserName
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("answerer panicked: %v", p)
			h.log.Error("wechat answer failed", "user", h.digest(openID), "err", err)
		}
	}()
	r, err = h.answerer.Answer(ctx, question, history)
	if err == nil && plainText(r.Text) == "" {
		err = errors.New("answerer returned an empty answer")
	}
	d := h.now().Sub(f.start)
	if err != nil {
		h.log.Error("wechat answer failed", "user", h.digest(openID), "duration", d, "err", err)
		return Reply{}, err
	}
	h.log.Info("wechat answer", "user", h.digest(openID), "duration", d, "answered", r.Answered,
		"len", utf8.RuneCountInString(r.Text), "sources", len(r.Sources))
	h.remember(m, h.now(), question, plainText(r.Text))
	return r, nil
}

// reply writes the passive text reply to req, encrypted and signed in safe mode.
func (h *Handler) reply(w http.ResponseWriter, req request, content string) {
	b, err := marshalText(req.msg, content, h.now().Unix())
	if err == nil && req.encrypted {
		var enc string
		if enc, err = h.crypter.encrypt(b); err == nil {
			b, err = xml.Marshal(encryptedReply{
				Encrypt:      cdata{enc},
				MsgSignature: cdata{signature(h.cfg.Token, req.ts, req.nonce, enc)},
				TimeStamp:    req.ts,
				Nonce:        cdata{req.nonce},
			})
		}
	}
	if err != nil {
		h.log.Error("wechat reply failed", "err", err)
		writeText(w, "success")
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(b)
}

// fresh reports whether ts, Unix seconds, is within maxClockSkew of our clock.
func (h *Handler) fresh(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := h.now().Sub(time.Unix(sec, 0))
	return -maxClockSkew <= d && d <= maxClockSkew
}

// forbid rejects a request that is not from WeChat, logging why but nothing it carries.
func (h *Handler) forbid(w http.ResponseWriter, r *http.Request, reason string) {
	h.log.Warn("wechat request rejected", "method", r.Method, "remote", r.RemoteAddr, "reason", reason)
	http.Error(w, http.StatusText(http.StatusForbidden), http.StatusForbidden)
}

func writeText(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.WriteString(w, s)
}

// digest is a short keyed hash that lets the logs of one process follow a citizen or a
// question without holding it, and that nobody without the salt can recompute.
func (h *Handler) digest(s string) string {
	m := hmac.New(sha256.New, h.salt)
	io.WriteString(m, s)
	return hex.EncodeToString(m.Sum(nil)[:6])
}

func newSalt() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}
