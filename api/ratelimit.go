package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// limiter is a token bucket per client IP: perMinute tokens a minute, as
// many at most, so a client may ask in a burst and then at the steady rate.
// Idle buckets are dropped so memory stays bounded by the active clients.
type limiter struct {
	perMinute float64
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute int) *limiter {
	return &limiter{perMinute: float64(perMinute), now: time.Now, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is there.
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.last) > 2*time.Minute {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.perMinute, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.perMinute, b.tokens+now.Sub(b.last).Minutes()*l.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.perMinute * float64(time.Minute))
	return false, wait
}

// rateLimit refuses a client past its rate with 429 and Retry-After. The
// client is c.ClientIP(): X-Forwarded-For counts only from trusted proxies.
func (s *Server) rateLimit() gin.HandlerFunc {
	if s.cfg.RateLimit <= 0 {
		return func(c *gin.Context) { c.Next() }
	}
	l := newLimiter(s.cfg.RateLimit)
	return func(c *gin.Context) {
		key := c.ClientIP()
		ok, wait := l.allow(key)
		if ok && s.cfg.SharedLimit != nil {
			ok, wait = s.sharedAllow(c, l, key)
		}
		if !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.writeError(c, &apiError{http.StatusTooManyRequests, "rate_limited", "提问太频繁了,请稍后再试"})
			return
		}
		c.Next()
	}
}

// follow sets key's bucket to a shared bucket that has no token for wait.
func (l *limiter) follow(key string, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = math.Max(0, 1-wait.Minutes()*l.perMinute)
	}
}
