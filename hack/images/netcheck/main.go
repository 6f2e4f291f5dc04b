// netcheck: a tiny static HTTP server and client for checking a cluster's pod network, Services and DNS.
//
//	netcheck serve [addr]    answer every request with "netcheck <hostname>" (default addr :8080), plus
//	                         " traceparent=<value>" when the request has one; it is also a stand-in function for
//	                         gateway tests (slow, failing, crashing, large, or a static-binary cold start)
//	netcheck get URL [tries] GET URL until it answers 2xx (one try per second), print the body, exit 0; else exit 1
//	netcheck dial HOST:PORT  one TCP connection attempt (3 s): print "open" and exit 0, else "closed: <why>", exit 1
//	netcheck resolve NAME    look NAME up with the pod's resolver (5 s): print the addresses, else exit 1
//
// A POSTed JSON body sets knobs, all optional, applied in this order:
//
//	"unready": true       GET /ready answers 503 from now on, for ever (this POST itself answers as usual)
//	"sleepMs": N          wait N ms first, to the end even if the caller hangs up, as most servers do
//	"cancellable": true   with sleepMs: stop waiting when the caller hangs up, and answer nothing
//	"exit": N             (N >= 0) after the wait, end the process with exit code N mid-call, answering nothing
//	"status": S           answer with status S (200-599)
//	"responseBytes": N    answer a JSON body of exactly N bytes ("xxx…", a JSON string when N >= 2), written in
//	                      chunks without holding it in memory, Content-Type application/json
//	"stats": true         the text answer ends with " current=<n> peak=<m>": executions running in this process
//	                      now (this one included) and the most at once so far
//
// Other endpoints: GET /stats answers {"current": N, "peak": M} (the same counts); GET /ready answers 200 until a
// POST asks for "unready" (a readiness probe to point at it); GET /seen lists the Lambkin-Request-Id and
// Lambkin-Attempt of every POST it answered (async delivery checks). With NETCHECK_FAIL set, every POST fails as a
// function error (500).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: netcheck serve [addr] | get URL [tries] | dial HOST:PORT | resolve NAME")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		addr := ":8080"
		if len(os.Args) > 2 {
			addr = os.Args[2]
		}
		host, _ := os.Hostname()
		var current, peak atomic.Int64
		type seenCall struct {
			ID      string `json:"id"`
			Attempt string `json:"attempt"`
			Event   string `json:"event,omitempty"` // the first 4 KiB of the event
		}
		var seenMu sync.Mutex
		seen := []seenCall{}
		failing := os.Getenv("NETCHECK_FAIL") != ""
		var unready atomic.Bool
		http.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
			if unready.Load() {
				http.Error(w, "unready (asked by a POST)", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ready")
		})
		http.HandleFunc("/seen", func(w http.ResponseWriter, _ *http.Request) {
			seenMu.Lock()
			defer seenMu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(seen)
		})
		http.HandleFunc("/stats", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, "{\"current\": %d, \"peak\": %d}\n", current.Load(), peak.Load())
		})
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			now := current.Add(1)
			defer current.Add(-1)
			for {
				p := peak.Load()
				if now <= p || peak.CompareAndSwap(p, now) {
					break
				}
			}
			var knobs struct {
				SleepMs       int   `json:"sleepMs"`
				Cancellable   bool  `json:"cancellable"`
				Status        int   `json:"status"`
				Exit          *int  `json:"exit"` // a pointer: 0 is an exit code too
				ResponseBytes int64 `json:"responseBytes"`
				Stats         bool  `json:"stats"`
				Unready       bool  `json:"unready"`
			}
			var event []byte
			if r.Method == http.MethodPost {
				event, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
				_ = json.Unmarshal(event, &knobs)
			}
			if knobs.Unready {
				unready.Store(true)
			}
			if r.Method == http.MethodPost && r.Header.Get("Lambkin-Request-Id") != "" {
				seenMu.Lock()
				if len(seen) < 200000 {
					kept := event
					if len(kept) > 4096 {
						kept = kept[:4096]
					}
					seen = append(seen, seenCall{r.Header.Get("Lambkin-Request-Id"), r.Header.Get("Lambkin-Attempt"), string(kept)})
				}
				seenMu.Unlock()
			}
			if failing && r.Method == http.MethodPost {
				w.Header().Set("Lambkin-Function-Error", "Unhandled")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(500)
				fmt.Fprintln(w, `{"errorType":"Boom","errorMessage":"failing on purpose (NETCHECK_FAIL)"}`)
				return
			}
			if knobs.SleepMs > 0 {
				wait := time.Duration(knobs.SleepMs) * time.Millisecond
				if knobs.Cancellable {
					select {
					case <-time.After(wait):
					case <-r.Context().Done(): // the caller gave up: stop at once
						return
					}
				} else {
					time.Sleep(wait) // a function's work does not notice the caller going away
				}
			}
			if knobs.Exit != nil && *knobs.Exit >= 0 {
				fmt.Fprintf(os.Stderr, "exiting with %d mid-call\n", *knobs.Exit)
				os.Exit(*knobs.Exit)
			}
			if knobs.ResponseBytes > 0 {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.FormatInt(knobs.ResponseBytes, 10))
				if knobs.Status >= 200 && knobs.Status <= 599 {
					w.WriteHeader(knobs.Status)
				}
				writeBody(w, knobs.ResponseBytes)
				return
			}
			if knobs.Status >= 200 && knobs.Status <= 599 {
				w.WriteHeader(knobs.Status)
			}
			line := "netcheck " + host
			if tp := r.Header.Get("traceparent"); tp != "" {
				line += " traceparent=" + tp
			}
			if knobs.Stats {
				line += fmt.Sprintf(" current=%d peak=%d", current.Load(), peak.Load())
			}
			fmt.Fprintln(w, line)
		})
		fmt.Println("listening on", addr)
		if err := http.ListenAndServe(addr, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "get":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: netcheck get URL [tries]")
			os.Exit(2)
		}
		tries := 30
		if len(os.Args) > 3 {
			tries, _ = strconv.Atoi(os.Args[3])
		}
		client := &http.Client{Timeout: 2 * time.Second}
		for i := 1; i <= tries; i++ {
			resp, err := client.Get(os.Args[2])
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					fmt.Print(string(body))
					os.Exit(0)
				}
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
			fmt.Fprintf(os.Stderr, "try %d: %v\n", i, err)
			time.Sleep(time.Second)
		}
		os.Exit(1)
	case "dial":
		// one TCP connection attempt, for NetworkPolicy checks: a refused policy drops the SYN, so 3 s suffice
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: netcheck dial HOST:PORT")
			os.Exit(2)
		}
		conn, err := net.DialTimeout("tcp", os.Args[2], 3*time.Second)
		if err != nil {
			fmt.Println("closed:", err)
			os.Exit(1)
		}
		conn.Close()
		fmt.Println("open")
	case "resolve":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: netcheck resolve NAME")
			os.Exit(2)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		addrs, err := net.DefaultResolver.LookupHost(ctx, os.Args[2])
		if err != nil {
			fmt.Println("unresolved:", err)
			os.Exit(1)
		}
		fmt.Println(strings.Join(addrs, " "))
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}

// writeBody writes n bytes of JSON: a string of 'x' between quotes (n >= 2), else n digits. It streams a reused
// 64 KiB chunk, so a response of any size costs the same memory.
func writeBody(w io.Writer, n int64) {
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = 'x'
	}
	if n < 2 {
		_, _ = w.Write([]byte("0")[:n])
		return
	}
	if _, err := w.Write([]byte{'"'}); err != nil {
		return
	}
	for left := n - 2; left > 0; {
		k := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:k]); err != nil {
			return // the caller hung up (or the gateway cut the response off)
		}
		left -= k
	}
	_, _ = w.Write([]byte{'"'})
}
