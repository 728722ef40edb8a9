package rag

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Document is one public document with the metadata that scopes questions to
// it. Text is the original text, kept unchanged for display and citations.
type Document struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	City      string `json:"city"`
	Province  string `json:"province"`
	Published string `json:"published"` // "2023", "2025-12-12": the leading date of the manifest's field
	Kind      string `json:"kind,omitempty"`
	URL       string `json:"url,omitempty"`    // the original on the publisher's site, http(s) only
	Script    string `json:"script,omitempty"` // "traditional" or "simplified", informative only
	Text      string `json:"text"`
}

// Limits on documents added at run time.
const (
	MaxDocumentBytes = 2 << 20
	maxTitleRunes    = 200
)

var (
	// ErrInvalidDocument is returned for a document that cannot be indexed
	// (no text, no title, an ID that is not a slug, text too long).
	ErrInvalidDocument = errors.New("invalid document")
	// ErrDocumentNotFound is returned when deleting an unknown document.
	ErrDocumentNotFound = errors.New("document not found")
)

var idRE = mustPattern(`^[a-z0-9][a-z0-9._-]{0,79}$`)

// Validate checks a document before it is indexed and fills what can be
// derived: the published date is cut to its leading date.
func (d *Document) Validate() error {
	d.Title = strings.TrimSpace(d.Title)
	d.City = strings.TrimSpace(d.City)
	d.Province = strings.TrimSpace(d.Province)
	d.Kind = strings.TrimSpace(d.Kind)
	d.URL = strings.TrimSpace(d.URL)
	d.Published = leadingDate(d.Published)
	switch {
	case !idRE.MatchString(d.ID):
		return fmt.Errorf("%w: id must be 1-80 lower-case letters, digits, '.', '_' or '-'", ErrInvalidDocument)
	case d.Title == "" || utf8.RuneCountInString(d.Title) > maxTitleRunes:
		return fmt.Errorf("%w: title must be 1-%d characters", ErrInvalidDocument, maxTitleRunes)
	case !validPlace(d.City):
		return fmt.Errorf("%w: city must be up to %d letters (a place name such as 南昌市)", ErrInvalidDocument, maxPlaceRunes)
	case !validPlace(d.Province):
		return fmt.Errorf("%w: province must be up to %d letters (a place name such as 江西省)", ErrInvalidDocument, maxPlaceRunes)
	case !validKind(d.Kind):
		return fmt.Errorf("%w: kind must be up to %d characters of plain text, without markup", ErrInvalidDocument, maxKindRunes)
	case strings.TrimSpace(d.Text) == "":
		return fmt.Errorf("%w: text is empty", ErrInvalidDocument)
	case len(d.Text) > MaxDocumentBytes:
		return fmt.Errorf("%w: text is over %d bytes", ErrInvalidDocument, MaxDocumentBytes)
	case !utf8.ValidString(d.Text):
		return fmt.Errorf("%w: text is not UTF-8", ErrInvalidDocument)
	case !validURL(d.URL):
		return fmt.Errorf("%w: url must be an absolute http or https URL", ErrInvalidDocument)
	}
	return nil
}

var dateRE = mustPattern(`^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)`)

// leadingDate keeps the date at the start of a manifest's published field:
// "2025-12-12 (year inferred…)" → "2025-12-12". Without one, the field is kept.
func leadingDate(s string) string {
	if m := dateRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return strings.TrimSpace(s)
}

// manifestEntry is one line of a seeds directory's manifest.json.
type manifestEntry struct {
	File        string `json:"file"`
	ID          string `json:"id"`
	SuggestedID string `json:"suggested_id"`
	Title       string `json:"title"`
	City        string `json:"city"`
	Province    string `json:"province"`
	Published   string `json:"published"`
	Script      string `json:"script"`
	Kind        string `json:"kind"`
	URL         string `json:"url"`
}

// LoadDir reads the documents named by manifest.json in fsys: a JSON list of
// {file, id (or suggested_id), title, city, province, published, script,
// kind}. A file named in the manifest that is missing is an error.
func LoadDir(fsys fs.FS) ([]Document, error) {
	raw, err := fs.ReadFile(fsys, "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var entries []manifestEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, fmt.Errorf("parse manifest: %w", err)
	}
	docs := make([]Document, 0, len(entries))
	seen := map[string]bool{}
	for _, e := range entries {
		text, err := fs.ReadFile(fsys, path.Clean(e.File))
		if err != nil {
			return nil, fmt.Errorf("read document: %w", err)
		}
		d := Document{
			ID: e.ID, Title: e.Title, City: e.City, Province: e.Province,
			Published: e.Published, Script: e.Script, Kind: e.Kind, URL: e.URL, Text: string(text),
		}
		if d.ID == "" {
			d.ID = e.SuggestedID
		}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("document %s: %w", e.File, err)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("document %s: %w: duplicate id %q", e.File, ErrInvalidDocument, d.ID)
		}
		seen[d.ID] = true
		docs = append(docs, d)
	}
	return docs, nil
}

// Limits on the metadata of a document.
const (
	maxPlaceRunes = 30
	maxKindRunes  = 80
)

// validPlace reports whether s can name a city or province: letters (any
// script), with the '·' of minority prefectures, spaces and hyphens. The
// place is echoed in every refusal for it ("资料中没有……"), so it must hold
// no markup.
func validPlace(s string) bool {
	if utf8.RuneCountInString(s) > maxPlaceRunes {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '·' && r != ' ' && r != '-' {
			return false
		}
	}
	return true
}

// validKind reports whether s can describe a document's kind ("government
// plan (PDF extraction)"): printable text without markup characters.
func validKind(s string) bool {
	if utf8.RuneCountInString(s) > maxKindRunes {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || strings.ContainsRune("<>&\"'`{}\\", r) {
			return false
		}
	}
	return true
}

// validURL accepts "" (unknown) and absolute http(s) URLs: the page links
// to it, so javascript: and relative URLs are refused.
func validURL(s string) bool {
	if s == "" {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 2000
}
