package rag

import "errors"

// ErrUnavailable is returned by a write when the store of record shared by
// several replicas (rag/postgres) cannot be reached. The write did not
// happen and may be tried again; answering goes on from the index meanwhile.
var ErrUnavailable = errors.New("store of record unavailable")
