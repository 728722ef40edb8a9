package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/api"
	"wenda/api/web"
	"wenda/api/wechat"
	"wenda/rag"
	"wenda/rag/openai"
	"wenda/rag/postgres"
	"wenda/seeds"
)

// errBelowTarget makes `wenda eval` exit non-zero.
var errBelowTarget = errors.New("eval accuracy below target")

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// run is wenda's whole lifecycle; main only calls it. Without a command
// it lists the commands.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printUsage(stdout)
		return nil
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return nil
	case "add":
		return runAdd(ctx, args, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "ask":
		return runAsk(ctx, args, getenv, stdout, stderr)
	case "eval":
		return runEval(ctx, args, getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 0 {
			if _, ok := lookupCommand(args[0]); ok && args[0] != "help" && args[0] != "version" {
				return run(ctx, []string{args[0], "-h"}, getenv, stdin, stdout, stderr)
			}
		}
		printUsage(stdout)
		return nil
	}
	printUsage(stderr)
	if strings.HasPrefix(cmd, "-") {
		return fmt.Errorf("a command comes first: wenda serve %s", strings.Join(append([]string{cmd}, args...), " "))
	}
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(level slog.Level, w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// corpus is what the engine is built from, each part read once: the
// read-only documents (the embedded seeds and those of -seeds), and the
// library of the documents added through the admin API or `wenda add`.
type corpus struct {
	builtIn []rag.Document
	library *rag.Library
}

// openCorpus reads the read-only documents; the library is read when the
// engine is built (loadEngine).
func openCorpus(cfg config) (corpus, error) {
	docs, err := rag.LoadDir(seeds.FS())
	if err != nil {
		return corpus{}, fmt.Errorf("embedded seeds: %w", err)
	}
	if cfg.SeedsDir != "" {
		extra, err := rag.LoadDir(os.DirFS(cfg.SeedsDir))
		if err != nil {
			return corpus{}, fmt.Errorf("seeds directory %s: %w", cfg.SeedsDir, err)
		}
		docs = append(docs, extra...)
	}
	return corpus{builtIn: docs, library: rag.NewLibrary(filepath.Join(cfg.DataDir, "documents"))}, nil
}

// startup is what serving needs to know of how the index was loaded: the
// documents added through the admin API, and what was left out or could not
// be done, with why.
type startup struct {
	added    []rag.Document
	warnings []string
}

// documents returns the built-in documents, then those of the library. A
// damaged added document, an unreadable library, or an added document with
// a built-in's ID is left out and reported in the warnings: start-up serves
// what it can.
func (c corpus) documents() ([]rag.Document, startup) {
	var st startup
	added, skipped, err := c.library.Scan()
	if err != nil {
		st.warnings = append(st.warnings, fmt.Sprintf("added documents not loaded: %v", err))
	}
	added, clash := rag.WithoutBuiltIn(c.builtIn, added)
	for _, s := range append(skipped, clash...) {
		st.warnings = append(st.warnings, "document skipped: "+s.String())
	}
	st.added = added
	return append(slices.Clip(c.builtIn), added...), st
}

// snapshotPath is the saved index.
func snapshotPath(cfg config) string { return filepath.Join(cfg.DataDir, "index.bin") }

// openEngine reads the corpus and builds (or loads) the index and the
// answering engine; see loadEngine.
func openEngine(ctx context.Context, cfg config, log *slog.Logger) (*rag.Engine, error) {
	c, err := openCorpus(cfg)
	if err != nil {
		return nil, err
	}
	eng, _, err := loadEngine(ctx, cfg, c, log)
	return eng, err
}

// loadEngine builds (or loads) the index of c and the answering engine in
// cfg.Mode, with the endpoint's embeddings when WENDA_EMBED_MODEL is set.
// What it skipped is logged and returned.
func loadEngine(ctx context.Context, cfg config, c corpus, log *slog.Logger) (*rag.Engine, startup, error) {
	start := time.Now()
	docs, st := c.documents()
	var oa *openai.Client
	if cfg.OpenAIBaseURL != "" {
		var err error
		oa, err = openai.New(openai.Config{
			BaseURL: cfg.OpenAIBaseURL, APIKey: cfg.OpenAIKey,
			ChatModel: cfg.ChatModel, EmbedModel: cfg.EmbedModel,
		})
		if err != nil {
			return nil, st, err
		}
	}
	var embedder rag.Embedder = rag.NewHashEmbedder(0)
	if oa != nil && cfg.EmbedModel != "" {
		embedder = oa
	}
	tok := &rag.LazyTiktoken{Encoding: rag.DefaultEncoding}
	ix, info, err := rag.Build(ctx, docs, rag.BuildOptions{
		Embedder:     embedder,
		Tokens:       tok,
		SnapshotPath: snapshotPath(cfg),
	})
	if err != nil {
		return nil, st, err
	}
	if info.SaveErr != nil {
		st.warnings = append(st.warnings, fmt.Sprintf("index snapshot not saved, the next start indexes again: %v", info.SaveErr))
	}
	for _, w := range st.warnings {
		log.Warn("start-up", slog.String("warning", w))
	}
	if info.Rebuilt != nil {
		log.Warn("saved index not used, rebuilt", slog.Any("reason", info.Rebuilt))
	}
	log.Info("index ready", slog.Int("documents", len(docs)), slog.Int("chunks", info.Chunks),
		slog.Bool("loaded", info.Loaded), slog.String("embedder", cfg.EmbedModel), slog.Duration("duration", time.Since(start)))
	cache := rag.WithAnswerCache(cfg.AnswerCache)
	if cfg.Mode != rag.ModeLLM {
		return rag.NewEngine(ix, cache), st, nil
	}
	// Model names tiktoken does not know (qwen2.5:7b, deepseek-chat) count
	// with the default encoding, the more conservative for Chinese.
	promptTok, err := rag.TiktokenForModel(cfg.ChatModel)
	if err != nil {
		return nil, st, fmt.Errorf("token counter for %s: %w", cfg.ChatModel, err)
	}
	log.Info("llm mode", slog.String("chat_model", cfg.ChatModel),
		slog.Duration("timeout", cfg.LLMTimeout), slog.Int("max_context_tokens", cfg.MaxContextTokens))
	return rag.NewEngine(ix, cache, rag.WithLLM(oa, rag.LLMConfig{
		Tokens: promptTok, MaxContextTokens: cfg.MaxContextTokens, Timeout: cfg.LLMTimeout,
	})), st, nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := parseConfig("wenda serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", rest)
	}
	log := newLogger(cfg.LogLevel, stderr)
	gin.SetMode(gin.ReleaseMode)

	// Listen first: a busy port fails at once, before any indexing.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// What start-up can check is checked before "listening" is printed.
	corp, err := openCorpus(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	unanswered, early, err := checkStartup(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	for _, w := range early {
		log.Warn("start-up", slog.String("warning", w))
	}
	ref := &engineRef{}
	apiCfg := api.Config{
		Logger: log, Web: web.NewHandler(web.Site{Title: cfg.SiteTitle, Footer: cfg.SiteFooter}), RateLimit: cfg.RateLimit, TrustedProxies: cfg.TrustedProxies,
		CORSOrigins: cfg.CORSOrigins, AdminToken: cfg.AdminToken,
		Corpus: func() (int, int) {
			if eng := ref.p.Load(); eng != nil {
				return len(eng.Index().Documents()), eng.Index().ChunkCount()
			}
			return 0, 0
		},
	}
	admin := &lateDocuments{}
	// What start-up skipped, and the last admin change the snapshot missed.
	var warnings atomic.Pointer[[]string]
	var localDocs atomic.Pointer[rag.Documents]
	apiCfg.Warnings = func() []string {
		var out []string
		if w := warnings.Load(); w != nil {
			out = append(out, *w...)
		}
		if d := localDocs.Load(); d != nil && d.SnapshotErr() != nil {
			out = append(out, d.SnapshotErr().Error())
		}
		return out
	}
	if cfg.AdminToken != "" {
		apiCfg.Documents = admin
		apiCfg.Admin = web.Admin()
	}
	if unanswered != nil {
		apiCfg.Unanswered = unanswered
		ref.unanswered = unanswered
		defer unanswered.Close()
	}
	wxCfg := wechat.Config{
		Token: cfg.WeChatToken, AppID: cfg.WeChatAppID, AppSecret: cfg.WeChatSecret,
		EncodingAESKey: cfg.WeChatAESKey, Mode: cfg.WeChatMode, APIBase: cfg.WeChatAPIBase,
		MaxQuestionRunes: rag.MaxQuestionRunes,
		Logger:           log.With(slog.String("channel", "wechat")),
	}
	var shared *postgres.Store
	if cfg.DatabaseURL != "" {
		if shared, err = openShared(cfg, log, &apiCfg, &wxCfg); err != nil {
			ln.Close()
			return err
		}
		defer shared.Close()
	}
	var wx *wechat.Handler
	if cfg.WeChatToken != "" {
		wx, err = wechat.New(wxCfg, ref)
		if err != nil {
			ln.Close()
			return err // it names WeChat's config itself
		}
		apiCfg.WeChat = wx
	}
	srv := api.New(apiCfg)
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		IdleTimeout:       120 * time.Second,
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	fmt.Fprintf(stdout, "wenda listening on http://%s/\n", ln.Addr())
	log.Info("listening", slog.String("addr", ln.Addr().String()))

	engineErr := make(chan error, 1)
	go func() {
		eng, st, err := loadEngine(ctx, cfg, corp, log)
		if err != nil {
			engineErr <- err
			return
		}
		local := rag.NewDocuments(eng, corp.library, st.added)
		local.SnapshotPath = snapshotPath(cfg)
		all := append(early, st.warnings...)
		warnings.Store(&all)
		localDocs.Store(local)
		var docs api.DocumentAdmin = local
		if shared != nil {
			rep, err := startReplica(ctx, shared, local, st.added, cfg.DataDir, log)
			if err != nil {
				engineErr <- err
				return
			}
			docs = rep
		}
		admin.p.Store(&docs)
		ref.p.Store(eng)
		srv.SetAsker(eng)
	}()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case err := <-engineErr:
		hs.Close()
		return fmt.Errorf("load index: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", slog.Duration("timeout", cfg.ShutdownTimeout))
	// /readyz turns 503 first, so that a load balancer sends no new request here,
	// then the server stops accepting and waits for the requests in flight.
	srv.Drain()
	if cfg.DrainDelay > 0 {
		time.Sleep(cfg.DrainDelay)
	}
	shutdown(hs, wx, cfg.ShutdownTimeout, log)
	return nil
}

// maxHeaderBytes bounds a request's headers; wenda's clients send a few
// hundred bytes, and net/http's default of 1 MiB would let each connection
// hold a megabyte.
const maxHeaderBytes = 16 << 10

// shutdown stops serving: requests in progress get up to timeout to finish,
// then their connections are closed; then answers still being pushed to
// WeChat get as long again. A slow client delays shutdown by at most the
// timeout and never keeps the WeChat answers from finishing or the process
// from exiting cleanly: stopping on a signal is success.
func shutdown(hs *http.Server, wx *wechat.Handler, timeout time.Duration, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil {
		log.Warn("requests still running at the shutdown timeout, connections closed", slog.Any("err", err))
		hs.Close()
	}
	if wx == nil {
		return
	}
	wctx, wcancel := context.WithTimeout(context.Background(), timeout)
	defer wcancel()
	if err := wx.Shutdown(wctx); err != nil {
		log.Warn("wechat answers cut at the shutdown timeout", slog.Any("err", err))
		return
	}
	log.Info("wechat stopped")
}

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := parseConfig("wenda ask", args, getenv, stderr)
	if err != nil {
		return err
	}
	// One question keeps no files: without -data (or WENDA_DATA_DIR) the
	// index is built in a temporary directory, removed after.
	if cfg.DataDir == "" {
		tmp, err := os.MkdirTemp("", "wenda-ask-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		cfg.DataDir = tmp
	}
	question := strings.Join(rest, " ")
	if err := (rag.Request{Question: question}).Validate(); err != nil {
		return err
	}
	eng, err := openEngine(ctx, cfg, newLogger(slog.LevelWarn, stderr))
	if err != nil {
		return err
	}
	a, err := eng.Ask(ctx, rag.Request{Question: question})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", a.Answer)
	// The sources the answer cites, with the passage each quotes; the
	// others retrieved are no part of the answer.
	cited := rag.CitedSources(a)
	if len(cited) > 0 {
		fmt.Fprintln(stdout, "\n来源：")
	}
	for _, s := range cited {
		fmt.Fprintf(stdout, "[%d] %s（%s）\n", s.N, s.Title, strings.Join(slices.DeleteFunc([]string{s.City, s.Published}, isEmpty), "，"))
		if s.URL != "" {
			fmt.Fprintf(stdout, "    %s\n", s.URL)
		}
		if s.Section != "" {
			fmt.Fprintf(stdout, "    %s\n", s.Section)
		}
		fmt.Fprintf(stdout, "    %s\n", excerpt(s.Text, 160))
	}
	return nil
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := parseConfig("wenda index", args, getenv, stderr)
	if err != nil {
		return err
	}
	eng, err := openEngine(ctx, cfg, newLogger(slog.LevelInfo, stderr))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d documents, %d chunks indexed in %s\n", len(eng.Index().Documents()), eng.Index().ChunkCount(), cfg.DataDir)
	return nil
}

func isEmpty(s string) bool { return s == "" }
