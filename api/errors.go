package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"wenda/rag"
	"wenda/rag/ingest"
)

// apiError is an error with its HTTP status and public code and message.
type apiError struct {
	status  int
	code    string
	message string // shown to the citizen, in simplified Chinese
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

var (
	errNotFound    = &apiError{http.StatusNotFound, "not_found", "请求的地址不存在"}
	errMethod      = &apiError{http.StatusMethodNotAllowed, "method_not_allowed", "不支持该请求方法"}
	errBadJSON     = &apiError{http.StatusBadRequest, "invalid_json", "请求体不是有效的 JSON"}
	errTooLarge    = &apiError{http.StatusRequestEntityTooLarge, "body_too_large", "请求体过大"}
	errBodyTimeout = &apiError{http.StatusRequestTimeout, "body_timeout", "请求体发送超时"}
	errNotReady    = &apiError{http.StatusServiceUnavailable, "not_ready", "服务正在加载资料,请稍后再试"}
	errInternal    = &apiError{http.StatusInternalServerError, "internal_error", "服务内部错误,请稍后再试"}
)

// classify maps an error to the API's status, code and message. Domain
// errors from rag carry their meaning; anything unknown is a 500 whose
// details stay in the log.
func classify(err error) *apiError {
	var ae *apiError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &mbe):
		return errTooLarge
	case isBodyTimeout(err):
		return errBodyTimeout
	case errors.Is(err, rag.ErrNotReady):
		return errNotReady
	case errors.Is(err, rag.ErrUnavailable):
		return &apiError{http.StatusServiceUnavailable, "database_unavailable", "数据库暂时不可用,文档暂不能修改,请稍后再试;问答不受影响"}
	case errors.Is(err, rag.ErrEmptyQuestion):
		return &apiError{http.StatusBadRequest, "invalid_request", "问题不能为空"}
	case errors.Is(err, rag.ErrQuestionTooLong):
		return &apiError{http.StatusRequestEntityTooLarge, "question_too_long", fmt.Sprintf("问题过长,请控制在%d字以内", rag.MaxQuestionRunes)}
	case errors.Is(err, rag.ErrHistoryTooLong):
		return &apiError{http.StatusRequestEntityTooLarge, "history_too_long", "对话历史过长,请开始新对话"}
	case errors.Is(err, rag.ErrInvalidHistory):
		return &apiError{http.StatusBadRequest, "invalid_request", "对话历史格式不正确"}
	case errors.Is(err, rag.ErrInvalidDocument):
		return &apiError{http.StatusBadRequest, "invalid_document", err.Error()}
	case errors.Is(err, ingest.ErrEncrypted):
		return &apiError{http.StatusUnprocessableEntity, "encrypted_pdf", "PDF 文件已加密，无法读取。请上传未加密的版本。"}
	case errors.Is(err, ingest.ErrNoText):
		return &apiError{http.StatusUnprocessableEntity, "no_text", "文件中没有可提取的文字。扫描件或纯图片 PDF 请先做文字识别（OCR）。"}
	case errors.Is(err, ingest.ErrNotDocument):
		return &apiError{http.StatusUnsupportedMediaType, "unsupported_format", "无法读取该文件：只支持 PDF、DOCX、HTML、Markdown 和纯文本文件。"}
	case errors.Is(err, rag.ErrReadOnlyDocument):
		return errReadOnly
	case errors.Is(err, rag.ErrDocumentNotFound):
		return &apiError{http.StatusNotFound, "not_found", "文档不存在"}
	case errors.Is(err, rag.ErrUpstreamTimeout):
		return &apiError{http.StatusGatewayTimeout, "upstream_timeout", "模型服务响应超时"}
	case errors.Is(err, rag.ErrUpstream):
		return &apiError{http.StatusBadGateway, "upstream_error", "模型服务暂时不可用"}
	}
	return errInternal
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError is the one place errors become responses. 5xx are logged with
// the request id and their details hidden from the client.
func (s *Server) writeError(c *gin.Context, err error) {
	ae := classify(err)
	s.logFailure(c, err, ae)
	if refusesBody(ae.status) {
		closeAfter(c)
	}
	c.AbortWithStatusJSON(ae.status, errorBody{Error: errorDetail{Code: ae.code, Message: ae.message}})
}

// logFailure logs server-side failures with the request id.
func (s *Server) logFailure(c *gin.Context, err error, ae *apiError) {
	// Still loading is a normal state of every start, not a failure.
	if ae == errNotReady {
		return
	}
	if ae.status >= 500 {
		s.cfg.Logger.Error("request failed", slog.String("request_id", c.GetString(requestIDKey)),
			slog.String("route", c.FullPath()), slog.Int("status", ae.status), slog.Any("err", err))
	}
}

// writeError without a server (routing fallbacks) never sees a 5xx.
func writeError(c *gin.Context, ae *apiError) {
	if refusesBody(ae.status) {
		closeAfter(c)
	}
	c.AbortWithStatusJSON(ae.status, errorBody{Error: errorDetail{Code: ae.code, Message: ae.message}})
}
