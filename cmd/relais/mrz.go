package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/relais/relais/internal/mrz"
)

const mrzUsage = `Usage: relais mrz [LINE ...]

Parses a machine-readable zone (ICAO 9303: TD1, TD2, TD3, MRV-A, MRV-B) given
as arguments, or as lines on standard input, and prints one JSON object.
Exit status: 0 valid, 1 parsed but invalid (check digits, dates), 2 not an MRZ.`

func runMRZ(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			fmt.Fprintln(stdout, mrzUsage)
			return 0
		}
	}
	lines := args
	if len(lines) == 0 {
		sc := bufio.NewScanner(io.LimitReader(stdin, 64<<10))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines = append(lines, l)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintln(stderr, "relais mrz: read standard input:", err)
			return 2
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	r, err := mrz.Parse(lines)
	if err != nil {
		reason := "not_mrz"
		if pe, ok := err.(*mrz.ParseError); ok {
			reason = pe.Reason
		}
		_ = enc.Encode(map[string]any{"valid": false, "parse_error": true, "reason": reason, "error": err.Error()})
		return 2
	}
	_ = enc.Encode(r)
	if !r.Valid {
		return 1
	}
	return 0
}
