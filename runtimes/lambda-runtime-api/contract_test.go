package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

func TestTraceIDKeepsTheCallersTrace(t *testing.T) {
	got := traceID("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", time.Unix(0, 0))
	want := "Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1"
	if got != want {
		t.Fatalf("traceID = %q, want %q", got, want)
	}
	if got := traceID("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", time.Unix(0, 0)); got[len(got)-1] != '0' {
		t.Fatalf("an unsampled trace stays unsampled: %q", got)
	}
}

func TestTraceIDWithoutACallersTraceIsStillAnXRayHeader(t *testing.T) {
	seen := map[string]bool{}
	for _, tp := range []string{"", "garbage", "00-short-00f067aa0ba902b7-01"} {
		got := traceID(tp, time.Unix(1700000000, 0))
		if !regexp.MustCompile(`^Root=1-6553f100-[0-9a-f]{24};Sampled=0$`).MatchString(got) {
			t.Fatalf("traceID(%q) = %q", tp, got)
		}
		if seen[got] {
			t.Fatalf("two invocations in one second share the root %q", got)
		}
		seen[got] = true
	}
}

func TestPeakMemoryComesFromTheFirstReadableCgroupFile(t *testing.T) {
	dir := t.TempDir()
	v1 := filepath.Join(dir, "memory.max_usage_in_bytes")
	os.WriteFile(v1, []byte("12345\n"), 0o644)
	if got := peakMemoryBytes([]string{filepath.Join(dir, "memory.peak"), v1}); got != "12345" {
		t.Fatalf("peak = %q", got)
	}
	os.WriteFile(v1, []byte("max\n"), 0o644)
	if got := peakMemoryBytes([]string{v1}); got != "" {
		t.Fatalf("not a number is no figure: %q", got)
	}
}
