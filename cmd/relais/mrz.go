package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/relais/relais/internal/mrz"
)

const mrzUsage = `Usage: relais mrz [LINE ...]

Parses the machine-readable zone of a travel document (ICAO 9303: TD1 identity
cards 3x30, TD2 2x36, TD3 passports 2x44, visas MRV-A 2x44 and MRV-B 2x36) and
prints it as one JSON object: the fields, "valid", and the "errors" found
(check digits, impossible dates, sex). An expired document is still valid.

The lines are the arguments, or, without arguments, the non-blank lines of
standard input. Surrounding white space is ignored.

  relais mrz 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<' \
             'L898902C36UTO7408122F1204159ZE184226B<<<<<10'
  pbpaste | relais mrz

Input that is not a zone at all prints
  {"valid":false,"parse_error":true,"error":"...","reason":"..."}
with reason empty, line_count, line_length or illegal_characters.

Exit status: 0 valid, 1 read but invalid, 2 not a machine-readable zone.`

// mrzParseError is what relais mrz prints for input that is not a zone.
type mrzParseError struct {
	Valid      bool   `json:"valid"`
	ParseError bool   `json:"parse_error"`
	Error      string `json:"error"`
	Reason     string `json:"reason"`
}

// runMRZ implements `relais mrz [LINE ...]`.
func runMRZ(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprintln(stdout, mrzUsage)
			return 0
		}
	}
	lines := args
	if len(lines) == 0 {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 4096), 64<<10)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines = append(lines, l)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintln(stderr, "relais mrz: reading standard input:", err)
			return 2
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	r, err := mrz.Parse(lines)
	if err != nil {
		out := mrzParseError{ParseError: true, Error: err.Error(), Reason: "not_mrz"}
		var pe *mrz.ParseError
		if errors.As(err, &pe) {
			out.Reason = pe.Reason
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "relais mrz:", err)
		}
		return 2
	}
	if err := enc.Encode(r); err != nil {
		fmt.Fprintln(stderr, "relais mrz:", err)
		return 2
	}
	if !r.Valid {
		return 1
	}
	return 0
}
