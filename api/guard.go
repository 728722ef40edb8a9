package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
)

// DefaultBodyTimeout is how long a client has to send a request body.
const DefaultBodyTimeout = 10 * time.Second

// uploadBodyTimeout is how long an administrator has to send a document:
// 32 MiB over a slow office line takes more than the default.
const uploadBodyTimeout = 5 * time.Minute

// The request body has its own deadline rather than http.Server.ReadTimeout:
// that one stays on the connection after the body is read, and when it
// passes, the server's watch for a closed connection fails and cancels the
// request's context, cutting a streamed answer that takes longer than it.
// Here the deadline is lifted when the body has been read to its end, which
// is when net/http starts that watch; a handler that stops reading earlier
// (a refusal, a decoder done before the end) leaves the deadline on a
// connection nobody reads until the response is written, and the server then
// closes it rather than wait for the rest. So a slow body costs a connection
// at most the body timeout, and a long answer is never cut.

type bodyKey struct{}

// guardBody sets the read deadline for requests with a body and lifts it at
// the body's end.
func guardBody(next http.Handler, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(timeout)) != nil {
			// Not a server connection (a test recorder): nothing to guard.
			next.ServeHTTP(w, r)
			return
		}
		b := &deadlineBody{ReadCloser: r.Body, rc: rc}
		r = r.WithContext(context.WithValue(r.Context(), bodyKey{}, b))
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline once the body has been read whole.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.finish()
	}
	return n, err
}

// finish lifts the deadline: the handler has what it needs of the body.
func (b *deadlineBody) finish() {
	if !b.done {
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	}
}

// bodyTimeout gives the rest of a route's body d from now. It goes after
// the middleware that authenticates: only a known client gets longer.
func bodyTimeout(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		if b := guardOf(c); b != nil && !b.done {
			b.rc.SetReadDeadline(time.Now().Add(d))
		}
		c.Next()
	}
}

func guardOf(c *gin.Context) *deadlineBody {
	b, _ := c.Request.Context().Value(bodyKey{}).(*deadlineBody)
	return b
}

// closeAfter marks the response as the connection's last and stops reading
// what the client is still sending. Without it, net/http reads up to 256 KiB
// of an unread body before it answers or reuses the connection, so a client
// refused with 413 or 429 could hold it open by sending its body slowly.
func closeAfter(c *gin.Context) {
	if b := guardOf(c); b != nil && !b.done {
		c.Header("Connection", "close")
		b.rc.SetReadDeadline(time.Now())
	}
}

// refusesBody says whether a response with this status ends the
// connection: the body was refused or not sent in time.
func refusesBody(status int) bool {
	switch status {
	case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusRequestTimeout:
		return true
	}
	return false
}

// isBodyTimeout reports whether err is the body's deadline passing.
func isBodyTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
