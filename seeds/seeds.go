// Package seeds embeds the corpus the binary answers from out of the box: the
// seed documents and their manifest.json (file, id, title, city, province,
// published, script, kind). The texts are kept exactly as published.
package seeds

import (
	"embed"
	"io/fs"
)

//go:embed manifest.json *.txt
var files embed.FS

// FS returns the seed documents and manifest.
func FS() fs.FS { return files }
