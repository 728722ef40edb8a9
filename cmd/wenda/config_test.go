package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"wenda/api"
	"wenda/api/wechat"
	"wenda/rag"
)

// typed is the part of a config parsed from text into its type.
type typed struct {
	Mode                         rag.Mode
	LLMTimeout, Shutdown, Drain  time.Duration
	MaxContext, Cache, RateLimit int
	LogLevel                     slog.Level
	WeChatMode                   wechat.Mode
	UnansweredLog                bool
	Proxies, Origins, SiteFooter []string
}

func typedOf(c config) typed {
	return typed{
		Mode: c.Mode, LLMTimeout: c.LLMTimeout, Shutdown: c.ShutdownTimeout, Drain: c.DrainDelay,
		MaxContext: c.MaxContextTokens, Cache: c.AnswerCache, RateLimit: c.RateLimit,
		LogLevel: c.LogLevel, WeChatMode: c.WeChatMode, UnansweredLog: c.UnansweredLog,
		Proxies: c.TrustedProxies, Origins: c.CORSOrigins, SiteFooter: c.SiteFooter,
	}
}

func TestConfigTyped(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want typed
	}{
		{"defaults from the packages that own them", map[string]string{}, typed{
			Mode: rag.ModeExtractive, LLMTimeout: rag.DefaultLLMTimeout, Shutdown: defaultShutdownTimeout,
			MaxContext: rag.DefaultMaxContextTokens, Cache: rag.DefaultAnswerCache, RateLimit: api.DefaultRateLimit,
			LogLevel: slog.LevelInfo, WeChatMode: wechat.ModePassive,
		}},
		{"every value set", map[string]string{
			"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "WENDA_CHAT_MODEL": "qwen2.5:7b",
			"WENDA_LLM_TIMEOUT": "3s", "WENDA_SHUTDOWN_TIMEOUT": "1m", "WENDA_DRAIN_DELAY": "5s",
			"WENDA_MAX_CONTEXT_TOKENS": "800", "WENDA_ANSWER_CACHE": "0", "WENDA_RATE_LIMIT": "6",
			"WENDA_LOG_LEVEL": "debug", "WENDA_WECHAT_MODE": "customer_service", "WENDA_UNANSWERED_LOG": "ON",
			"WENDA_TRUSTED_PROXIES": " 10.0.0.1, 10.1.0.0/16 ,", "WENDA_CORS_ORIGINS": "*",
			"WENDA_SITE_FOOTER": "主办单位：某市教育局| 联系电话：0791-0000000 |",
		}, typed{
			Mode: rag.ModeLLM, LLMTimeout: 3 * time.Second, Shutdown: time.Minute, Drain: 5 * time.Second,
			MaxContext: 800, Cache: 0, RateLimit: 6, LogLevel: slog.LevelDebug,
			WeChatMode: wechat.ModeCustomerService, UnansweredLog: true,
			Proxies: []string{"10.0.0.1", "10.1.0.0/16"}, Origins: []string{"*"},
			SiteFooter: []string{"主办单位：某市教育局", "联系电话：0791-0000000"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := parseConfig("wenda serve", nil, func(k string) string { return tt.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, typedOf(c)); diff != "" {
				t.Errorf("parseConfig(%v) = got, want want (-want +got):\n%s", tt.env, diff)
			}
		})
	}
}

// Every value that does not parse is an error naming its variable, all of
// them at once.
func TestConfigErrorsNameTheVariable(t *testing.T) {
	env := map[string]string{
		"WENDA_LLM_TIMEOUT": "0s", "WENDA_SHUTDOWN_TIMEOUT": "-1s", "WENDA_DRAIN_DELAY": "2m",
		"WENDA_MAX_CONTEXT_TOKENS": "10", "WENDA_RATE_LIMIT": "many", "WENDA_LOG_LEVEL": "loud",
		"WENDA_UNANSWERED_LOG": "yes", "WENDA_WECHAT_TOKEN": "token", "WENDA_WECHAT_MODE": "push",
	}
	_, _, err := parseConfig("wenda serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err == nil {
		t.Fatal("parseConfig = nil error, want one per bad value")
	}
	for key := range env {
		if key == "WENDA_WECHAT_TOKEN" {
			continue
		}
		if !strings.Contains(err.Error(), key+"=") {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
	for _, want := range []string{"want a positive duration such as 12s", "want a positive duration such as 15s", "want a duration from 0s to 1m"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
