package rag

// SetBuildBatchBytes sets how much document text Build splits and embeds at
// a time, and returns a func restoring it.
func SetBuildBatchBytes(n int) func() {
	old := buildBatchBytes
	buildBatchBytes = n
	return func() { buildBatchBytes = old }
}
