// Package web serves the citizens' chat page: one HTML page with its
// stylesheet, script and icon, embedded in the binary. It owns the page and
// how its files are served (content types, revalidation, security headers);
// it holds no API logic: the page talks to POST /api/v1/ask like any other
// client, and package api decides where Handler is mounted.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// contentSecurityPolicy allows nothing but our own origin: the page loads no
// CDN, no font and no analytics, and it renders every document and user text
// with textContent, so inline script is never needed. It is the second line
// of defence should a text ever reach the DOM as markup.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// contentTypes names the types of the files we ship, so that they do not
// depend on the host's mime.types, which differs between machines.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
	".json": "application/json",
}

// asset is one embedded file, read once.
type asset struct {
	name        string
	body        []byte
	contentType string
	etag        string
}

// Handler returns the handler of the chat page. It answers GET and HEAD:
// "/" and "/index.html" serve the page, "/static/NAME" the files under
// static/; anything else is 404 and other methods are 405, both with the JSON
// error body of the API.
//
// Every response carries a strong ETag (a hash of the content) and
// "Cache-Control: no-cache", so browsers keep the files but revalidate them on
// each load and get 304 until a new build changes them: a deploy is seen at
// once without cache-busting names.
func Handler() http.Handler { return NewHandler(Site{}) }

// Site is what a deployment says about itself on the chat page.
type Site struct {
	// Title names the page and its header ("教育政策问答" when empty).
	Title string
	// Footer lines: who runs the site (主办单位), a contact, a disclaimer.
	// The page always adds that answers come from the listed documents.
	Footer []string
}

// DefaultTitle is the chat page's title when the site sets none.
const DefaultTitle = "教育政策问答"

// NewHandler is Handler for a site with its own title and footer.
func NewHandler(site Site) http.Handler {
	if strings.TrimSpace(site.Title) == "" {
		site.Title = DefaultTitle
	}
	return &handler{assets: loadAssets(site)}
}

// Admin returns the handler of the operators' page at /admin. The page holds
// no data and no secret: it asks for the admin token and calls the admin API
// with it. Its script and stylesheet are served by Handler under /static/.
func Admin() http.Handler {
	all := loadAssets(Site{Title: DefaultTitle})
	page := all["/static/admin.html"]
	return &handler{assets: map[string]*asset{"/admin": page, "/admin/": page}}
}

type handler struct {
	assets map[string]*asset // by request path
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "不支持该请求方法")
		return
	}
	a, ok := h.assets[r.URL.Path]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "页面不存在")
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("ETag", a.etag)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(a.contentType, "text/html") {
		hdr.Set("Content-Security-Policy", contentSecurityPolicy)
		hdr.Set("Referrer-Policy", "no-referrer")
	}
	// ServeContent answers If-None-Match with 304, HEAD and Range.
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.body))
}

// loadAssets reads every embedded file once and indexes it by the path it is
// served at.
func loadAssets(site Site) map[string]*asset {
	assets := make(map[string]*asset)
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".html") {
			if body, err = render(p, body, site); err != nil {
				return err
			}
		}
		sum := sha256.Sum256(body)
		assets["/"+p] = &asset{
			name:        path.Base(p),
			body:        body,
			contentType: contentType(p, body),
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		}
		return nil
	})
	if err != nil {
		// The files are compiled in; failing to read them is a broken build,
		// not a condition a caller could handle.
		panic("web: read embedded files: " + err.Error())
	}
	if index, ok := assets["/static/index.html"]; ok {
		assets["/"] = index
		assets["/index.html"] = index
	}
	return assets
}

func contentType(name string, body []byte) string {
	ext := path.Ext(name)
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(body)
}

// writeError writes the error body that the whole API uses:
// {"error":{"code":"...","message":"..."}}. The codes and messages here are
// constants without characters that need escaping.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"error":{"code":"` + code + `","message":"` + message + `"}}` + "\n"))
}

// render fills a page's site title and footer, escaped as HTML text by
// html/template.
func render(name string, body []byte, site Site) ([]byte, error) {
	t, err := template.New(name).Parse(string(body))
	if err != nil {
		return nil, err
	}
	var footer []string
	for _, l := range site.Footer {
		if l = strings.TrimSpace(l); l != "" {
			footer = append(footer, l)
		}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, struct {
		Title  string
		Footer []string
	}{strings.TrimSpace(site.Title), footer}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
