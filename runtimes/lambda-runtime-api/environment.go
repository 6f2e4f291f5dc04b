package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// invocation is one event on its way through the runtime.
type invocation struct {
	id            string
	event         []byte
	deadline      time.Time
	traceID       string
	clientContext string // JSON, as the Runtime API hands it (the Invoke API's is base64)
	tail          bool
	done          chan answer // buffered: the runtime's answer, or the reason there is none
	watchdog      *time.Timer
}

// answer is what the gateway gets back for an invocation.
type answer struct {
	functionError bool
	contentType   string // the runtime's, for a response
	body          []byte
}

// environment is one Lambda execution environment: the runtime process and the event it holds.
type environment struct {
	s      settings
	output *runtimeOutput
	next   chan *invocation // the event the push side hands to the runtime's /next

	mu       sync.Mutex
	current  *invocation // taken by the push side, not yet answered by the runtime
	draining bool

	initialized chan struct{} // closed at the runtime's first /next
	initOnce    sync.Once
	exited      chan struct{} // closed when the runtime's process has ended
	exitReason  string        // set before exited closes
	fatal       chan string   // why the environment must end now (init error, a timed-out event)
	inFlight    sync.WaitGroup
}

func newEnvironment(s settings, output *runtimeOutput) *environment {
	return &environment{s: s, output: output, next: make(chan *invocation), initialized: make(chan struct{}),
		exited: make(chan struct{}), fatal: make(chan string, 1)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func contractError(errorType, message string) map[string]string {
	return map[string]string{"errorType": errorType, "errorMessage": message}
}

func (e *environment) end(reason string) {
	select {
	case e.fatal <- reason:
	default: // already ending
	}
}

// push serves the gateway: POST / is an invocation (Lambkin's runtime contract).
func (e *environment) push(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" || r.Method != http.MethodPost {
		writeJSON(w, http.StatusNotFound, contractError("NotFound", "the runtime serves POST / only"))
		return
	}
	e.inFlight.Add(1)
	defer e.inFlight.Done()
	event, err := io.ReadAll(io.LimitReader(r.Body, maxEventBytes+1))
	if err != nil {
		return // the caller went away
	}
	if len(event) > maxEventBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, contractError("RequestTooLarge", "the event is over 6 MB"))
		return
	}
	inv := e.invocation(r, event)
	e.mu.Lock()
	if e.draining || e.current != nil {
		e.mu.Unlock()
		// one event at a time, as Lambda's environments: the gateway sends no more, so this is a call that raced a
		// drain or an environment that is ending; the gateway takes it elsewhere
		writeJSON(w, http.StatusServiceUnavailable, contractError(errorTypeUnavail, "this execution environment takes no event now"))
		return
	}
	e.current = inv
	// an event still running well past its deadline ends the environment, as Lambda resets a timed-out sandbox
	inv.watchdog = time.AfterFunc(time.Until(inv.deadline)+500*time.Millisecond, func() {
		if e.holds(inv) {
			e.end(fmt.Sprintf("RequestId: %s Task timed out; ending the execution environment", inv.id))
		}
	})
	e.mu.Unlock()
	if inv.tail {
		e.output.startTail()
	}
	select {
	case e.next <- inv:
	case <-r.Context().Done(): // the caller gave up before the runtime asked for the event
		e.release(inv)
		return
	case <-e.exited:
		e.answerExit(w, inv)
		return
	}
	select {
	case a := <-inv.done:
		e.answer(w, inv, a)
	case <-e.exited:
		e.answerExit(w, inv)
	case <-r.Context().Done():
		// the gateway gave up (its deadline): the runtime still holds the event until it answers or the watchdog fires
	}
}

func (e *environment) invocation(r *http.Request, event []byte) *invocation {
	now := time.Now()
	deadline := now.Add(e.s.timeout)
	if ms, err := strconv.ParseInt(r.Header.Get(headerDeadlineMs), 10, 64); err == nil {
		deadline = time.UnixMilli(ms)
	}
	id := r.Header.Get(headerRequestID)
	if id == "" {
		id = fmt.Sprintf("%x", now.UnixNano())
	}
	clientContext := ""
	if cc := r.Header.Get(headerClientContext); cc != "" {
		if decoded, err := base64.StdEncoding.DecodeString(cc); err == nil {
			clientContext = string(decoded)
		}
	}
	return &invocation{id: id, event: event, deadline: deadline, traceID: traceID(r.Header.Get(headerTraceparent), now),
		clientContext: clientContext, tail: r.Header.Get(headerLogType) == logTypeTail, done: make(chan answer, 1)}
}

func (e *environment) holds(inv *invocation) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current == inv
}

func (e *environment) release(inv *invocation) {
	e.mu.Lock()
	if e.current == inv {
		e.current = nil
		inv.watchdog.Stop()
	}
	e.mu.Unlock()
}

func (e *environment) answer(w http.ResponseWriter, inv *invocation, a answer) {
	if inv.tail {
		tail := e.output.endTail(200 * time.Millisecond)
		w.Header().Set(headerLogResult, base64.StdEncoding.EncodeToString(tail))
	}
	if peak := peakMemoryBytes(e.s.peakMemory); peak != "" {
		w.Header().Set(headerMaxMemoryUsed, peak)
	}
	contentType := a.contentType
	if a.functionError || contentType == "" {
		contentType = "application/json" // Lambda's answers are JSON unless the runtime said otherwise
	}
	if a.functionError {
		w.Header().Set(headerFunctionError, unhandled)
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	w.Write(a.body)
}

// answerExit answers an event whose runtime died under it, in Lambda's words.
func (e *environment) answerExit(w http.ResponseWriter, inv *invocation) {
	e.release(inv)
	body, _ := json.Marshal(contractError(errorTypeExit, fmt.Sprintf("RequestId: %s Error: %s", inv.id, e.exitReason)))
	e.answer(w, inv, answer{functionError: true, body: body})
}

// complete hands the runtime's answer for event id to the call waiting for it.
func (e *environment) complete(id string, a answer) bool {
	e.mu.Lock()
	inv := e.current
	if inv == nil || inv.id != id {
		e.mu.Unlock()
		return false
	}
	e.current = nil
	inv.watchdog.Stop()
	e.mu.Unlock()
	inv.done <- a
	return true
}

// runtimeAPI serves the runtime: AWS Lambda's Runtime API, 2018-06-01.
func (e *environment) runtimeAPI(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, runtimePrefix)
	switch {
	case path == "invocation/next" && r.Method == http.MethodGet:
		e.nextEvent(w, r)
	case path == "init/error" && r.Method == http.MethodPost:
		errorType, message := runtimeError(r)
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
		e.end(errorType + ": " + message)
	case strings.HasPrefix(path, "invocation/") && r.Method == http.MethodPost:
		id, what, _ := strings.Cut(strings.TrimPrefix(path, "invocation/"), "/")
		switch what {
		case "response":
			e.response(w, r, id)
		case "error":
			errorType, message, body := runtimeErrorBody(r)
			if !e.complete(id, answer{functionError: true, body: body}) {
				writeJSON(w, http.StatusBadRequest, invalidRequestID(id))
				return
			}
			fmt.Fprintf(e.output.out, "lambkin-runtime-api: RequestId: %s %s: %s\n", id, errorType, message)
			writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
		default:
			writeJSON(w, http.StatusNotFound, runtimeAPIError("InvalidPath", "no such Runtime API path: "+r.URL.Path))
		}
	default:
		writeJSON(w, http.StatusNotFound, runtimeAPIError("InvalidPath", "no such Runtime API path: "+r.Method+" "+r.URL.Path))
	}
}

func runtimeAPIError(errorType, message string) map[string]string {
	return map[string]string{"errorType": errorType, "errorMessage": message}
}

func invalidRequestID(id string) map[string]string {
	return runtimeAPIError("InvalidRequestID", "Invalid request ID: "+id)
}

func (e *environment) nextEvent(w http.ResponseWriter, r *http.Request) {
	e.initOnce.Do(func() { close(e.initialized) })
	select {
	case inv := <-e.next:
		h := w.Header()
		h.Set(rtHeaderRequestID, inv.id)
		h.Set(rtHeaderDeadlineMs, strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set(rtHeaderFunctionArn, e.s.functionArn)
		h.Set(rtHeaderTraceID, inv.traceID)
		if inv.clientContext != "" {
			h.Set(rtHeaderClientContext, inv.clientContext)
		}
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write(inv.event)
	case <-r.Context().Done():
	}
}

func (e *environment) response(w http.ResponseWriter, r *http.Request, id string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes+1))
	if err != nil {
		return
	}
	a := answer{contentType: r.Header.Get("Content-Type"), body: body}
	tooLarge := len(body) > maxResponseBytes
	if tooLarge {
		b, _ := json.Marshal(contractError(errorTypeTooLarge, fmt.Sprintf(
			"Response payload size exceeded maximum allowed payload size (%d bytes).", maxResponseBytes)))
		a = answer{functionError: true, body: b}
	}
	if !e.complete(id, a) {
		writeJSON(w, http.StatusBadRequest, invalidRequestID(id))
		return
	}
	if tooLarge {
		writeJSON(w, http.StatusRequestEntityTooLarge, runtimeAPIError("RequestEntityTooLarge", "the response is over 6 MB"))
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

// runtimeError reads a runtime's error report: Lambda's {"errorMessage","errorType","stackTrace"}, the type also
// (or only) in Lambda-Runtime-Function-Error-Type.
func runtimeError(r *http.Request) (string, string) {
	errorType, message, _ := runtimeErrorBody(r)
	return errorType, message
}

// runtimeErrorBody also returns the report as the function error's body, with errorType always set.
func runtimeErrorBody(r *http.Request) (string, string, []byte) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes))
	report := map[string]any{}
	if err := json.Unmarshal(raw, &report); err != nil {
		report = map[string]any{"errorMessage": strings.TrimSpace(string(raw))}
	}
	errorType, _ := report["errorType"].(string)
	if errorType == "" {
		errorType = r.Header.Get(rtHeaderErrorType)
	}
	if errorType == "" {
		errorType = unhandled
	}
	report["errorType"] = errorType
	message, _ := report["errorMessage"].(string)
	body, _ := json.Marshal(report)
	return errorType, message, body
}
