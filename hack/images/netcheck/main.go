// netcheck: a tiny static HTTP server and client for checking a cluster's pod network, Services and DNS.
//
//	netcheck serve [addr]    answer every request with "netcheck <hostname>" (default addr :8080); a POSTed
//	                         JSON body {"sleepMs": N, "status": S} makes it wait N ms and answer status S
//	                         (a stand-in function for gateway tests: slow, failing, or a static-binary cold start);
//	                         GET /stats answers {"current": N, "peak": M}: invocations running now and at most at once;
//	                         GET /seen lists the Lambkin-Request-Id and Lambkin-Attempt of every POST it answered (async
//	                         delivery checks); with NETCHECK_FAIL set, every POST fails as a function error (500)
//	netcheck get URL [tries] GET URL until it answers 2xx (one try per second), print the body, exit 0; else exit 1
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: netcheck serve [addr] | get URL [tries]")
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
		}
		var seenMu sync.Mutex
		seen := []seenCall{}
		failing := os.Getenv("NETCHECK_FAIL") != ""
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
				SleepMs int `json:"sleepMs"`
				Status  int `json:"status"`
			}
			if r.Method == http.MethodPost {
				_ = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&knobs)
			}
			if r.Method == http.MethodPost && r.Header.Get("Lambkin-Request-Id") != "" {
				seenMu.Lock()
				if len(seen) < 200000 {
					seen = append(seen, seenCall{r.Header.Get("Lambkin-Request-Id"), r.Header.Get("Lambkin-Attempt")})
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
				select {
				case <-time.After(time.Duration(knobs.SleepMs) * time.Millisecond):
				case <-r.Context().Done(): // the caller gave up: stop at once
					return
				}
			}
			if knobs.Status >= 200 && knobs.Status <= 599 {
				w.WriteHeader(knobs.Status)
			}
			if tp := r.Header.Get("traceparent"); tp != "" {
				fmt.Fprintf(w, "netcheck %s traceparent=%s\n", host, tp)
				return
			}
			fmt.Fprintf(w, "netcheck %s\n", host)
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
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
}
