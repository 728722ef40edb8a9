package rag

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"wenda/rag/ingest"
)

// MaxFileBytes bounds an uploaded file (a PDF with images is much larger
// than its text, which MaxDocumentBytes bounds).
const MaxFileBytes = 32 << 20

// DocumentFromFile reads a PDF, DOCX, HTML, Markdown or text file (the format
// told from the content) into a validated document with meta's metadata.
// Without a title the file's own is taken; without an ID one is made from
// the text's hash, so that the same file uploaded twice replaces itself.
// Unreadable files are ingest's errors: ingest.ErrEncrypted,
// ingest.ErrNoText, ingest.ErrNotDocument.
func DocumentFromFile(data []byte, meta Document) (Document, error) {
	if len(data) > MaxFileBytes {
		return Document{}, fmt.Errorf("%w: file is over %d bytes", ErrInvalidDocument, MaxFileBytes)
	}
	res, err := ingest.Read(data)
	if err != nil {
		return Document{}, err
	}
	d := meta
	d.Text = res.Text
	if d.Title == "" {
		d.Title = res.Title
	}
	if d.ID == "" {
		sum := sha256.Sum256([]byte(res.Text))
		d.ID = "doc-" + hex.EncodeToString(sum[:6])
	}
	if err := d.Validate(); err != nil {
		return Document{}, err
	}
	return d, nil
}
