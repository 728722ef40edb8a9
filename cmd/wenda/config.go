package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"wenda/rag"
)

// config is everything wenda is configured with: environment first, then
// flags over it (DESIGN §3). Secrets come from the environment only.
type config struct {
	Addr             string
	DataDir          string
	SeedsDir         string
	OpenAIBaseURL    string
	OpenAIKey        string
	ChatModel        string
	EmbedModel       string
	LLMTimeout       time.Duration
	MaxContextTokens int
	AdminToken       string
	RateLimit        int
	AnswerCache      int
	TrustedProxies   []string
	CORSOrigins      []string
	WeChatToken      string
	WeChatAppID      string
	WeChatSecret     string
	WeChatAESKey     string
	WeChatMode       string
	WeChatAPIBase    string
	LogLevel         string
	DatabaseURL      string
	DrainDelay       time.Duration
	UnansweredLog    bool
	SiteTitle        string
	SiteFooter       []string
}

// parseConfig reads the environment through getenv, then the flags in args.
// It returns the remaining arguments.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, []string, error) {
	c := config{
		Addr:             envOr(getenv, "WENDA_ADDR", "127.0.0.1:8080"),
		DataDir:          envOr(getenv, "WENDA_DATA_DIR", "./data"),
		SeedsDir:         getenv("WENDA_SEEDS_DIR"),
		OpenAIBaseURL:    strings.TrimRight(getenv("OPENAI_BASE_URL"), "/"),
		OpenAIKey:        getenv("OPENAI_API_KEY"),
		ChatModel:        getenv("WENDA_CHAT_MODEL"),
		EmbedModel:       getenv("WENDA_EMBED_MODEL"),
		AdminToken:       getenv("WENDA_ADMIN_TOKEN"),
		WeChatToken:      getenv("WENDA_WECHAT_TOKEN"),
		WeChatAppID:      getenv("WENDA_WECHAT_APPID"),
		WeChatSecret:     getenv("WENDA_WECHAT_APPSECRET"),
		WeChatAESKey:     getenv("WENDA_WECHAT_AESKEY"),
		WeChatMode:       envOr(getenv, "WENDA_WECHAT_MODE", "passive"),
		WeChatAPIBase:    getenv("WENDA_WECHAT_API_BASE"),
		LogLevel:         envOr(getenv, "WENDA_LOG_LEVEL", "info"),
		DatabaseURL:      getenv("WENDA_DATABASE_URL"),
		DrainDelay:       -1,
		LLMTimeout:       12 * time.Second,
		MaxContextTokens: 3000,
		RateLimit:        60,
		AnswerCache:      rag.DefaultAnswerCache,
	}
	var errs []error
	c.SiteTitle = strings.TrimSpace(getenv("WENDA_SITE_TITLE"))
	c.SiteFooter = splitFooter(getenv("WENDA_SITE_FOOTER"))
	switch v := strings.ToLower(getenv("WENDA_UNANSWERED_LOG")); v {
	case "", "off":
	case "on":
		c.UnansweredLog = true
	default:
		errs = append(errs, fmt.Errorf("WENDA_UNANSWERED_LOG=%q: want on or off", v))
	}
	if v := getenv("WENDA_LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("WENDA_LLM_TIMEOUT=%q: want a positive duration such as 12s", v))
		}
		c.LLMTimeout = d
	}
	intEnv := func(key string, dst *int, min int) {
		if v := getenv(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < min {
				errs = append(errs, fmt.Errorf("%s=%q: want a whole number >= %d", key, v, min))
			}
			*dst = n
		}
	}
	if v := getenv("WENDA_DRAIN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Minute {
			errs = append(errs, fmt.Errorf("WENDA_DRAIN_DELAY=%q: want a duration from 0s to 1m, such as 2s", v))
		}
		c.DrainDelay = d
	}
	intEnv("WENDA_MAX_CONTEXT_TOKENS", &c.MaxContextTokens, 200)
	intEnv("WENDA_RATE_LIMIT", &c.RateLimit, 0)
	intEnv("WENDA_ANSWER_CACHE", &c.AnswerCache, 0)
	c.TrustedProxies = splitList(getenv("WENDA_TRUSTED_PROXIES"))
	c.CORSOrigins = splitList(getenv("WENDA_CORS_ORIGINS"))
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("WENDA_TRUSTED_PROXIES: %q is not an IP or CIDR", p))
			}
		}
	}

	for _, o := range c.CORSOrigins {
		if !validOrigin(o) {
			errs = append(errs, fmt.Errorf("WENDA_CORS_ORIGINS: %q is not * or an origin such as https://www.example.gov.cn", o))
		}
	}

	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	setUsage(fs, strings.TrimPrefix(name, "wenda "))
	configFlags(fs, &c, !noListen[name])
	if name == "wenda ask" && getenv("WENDA_DATA_DIR") == "" {
		// One question keeps no files unless told where.
		c.DataDir = ""
		fs.Lookup("data").DefValue = ""
		fs.Lookup("data").Usage = "data directory to use and keep (env WENDA_DATA_DIR; default: a temporary one, removed after)"
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %w", c.Addr, err))
	}
	if (c.OpenAIBaseURL == "") != (c.ChatModel == "") && c.EmbedModel == "" {
		errs = append(errs, errors.New("OPENAI_BASE_URL and WENDA_CHAT_MODEL go together: set both for llm mode, or neither"))
	}
	if c.EmbedModel != "" && c.OpenAIBaseURL == "" {
		errs = append(errs, errors.New("WENDA_EMBED_MODEL needs OPENAI_BASE_URL"))
	}
	if c.OpenAIBaseURL != "" && !strings.HasPrefix(c.OpenAIBaseURL, "http://") && !strings.HasPrefix(c.OpenAIBaseURL, "https://") {
		errs = append(errs, fmt.Errorf("OPENAI_BASE_URL=%q: want an http(s) URL ending in /v1", c.OpenAIBaseURL))
	}
	if c.WeChatToken != "" && c.WeChatMode != "passive" && c.WeChatMode != "customer_service" {
		errs = append(errs, fmt.Errorf("WENDA_WECHAT_MODE=%q: want passive or customer_service", c.WeChatMode))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("WENDA_DATABASE_URL: want a postgres:// URL"))
	}
	if c.DrainDelay < 0 {
		// Long enough for a load balancer checking /readyz every second to
		// notice; a single process has no balancer to wait for.
		c.DrainDelay = 0
		if c.DatabaseURL != "" {
			c.DrainDelay = defaultDrain
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("WENDA_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	return c, fs.Args(), errors.Join(errs...)
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// noListen are the commands that serve nothing: no -addr.
var noListen = map[string]bool{"wenda ask": true, "wenda add": true, "wenda eval": true, "wenda index": true}

// configFlags declares the flags over the environment: -addr for commands
// that listen, -data and -seeds for all.
func configFlags(fs *flag.FlagSet, c *config, listen bool) {
	if listen {
		fs.StringVar(&c.Addr, "addr", c.Addr, "listen address (env WENDA_ADDR)")
	}
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory for the saved index and added documents (env WENDA_DATA_DIR)")
	fs.StringVar(&c.SeedsDir, "seeds", c.SeedsDir, "extra documents directory with a manifest.json (env WENDA_SEEDS_DIR)")
	if listen {
		fs.StringVar(&c.DatabaseURL, "database", c.DatabaseURL, "PostgreSQL URL shared by several replicas, postgres://...; prefer the env var when it holds a password (env WENDA_DATABASE_URL)")
	}
}

// validOrigin accepts * and a browser origin: scheme http or https, a host,
// an optional port, nothing else (no path, no trailing slash).
func validOrigin(o string) bool {
	if o == "*" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// splitFooter reads WENDA_SITE_FOOTER: lines separated by "|".
func splitFooter(v string) []string {
	var out []string
	for _, l := range strings.Split(v, "|") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
