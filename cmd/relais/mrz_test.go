package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestRunMRZ(t *testing.T) {
	td3 := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	td1 := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	cases := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  map[string]any // fields of the printed object
	}{
		{"TD3 from arguments", td3, "", 0, map[string]any{"format": "TD3", "valid": true, "document_number": "L898902C3", "birth_date": "1974-08-12"}},
		{"TD1 from stdin with CR and blank lines", nil, "\r\n" + strings.Join(td1, "\r\n\r\n") + "\r\n", 0,
			map[string]any{"format": "TD1", "valid": true, "surname": "ERIKSSON", "given_names": "ANNA MARIA"}},
		{"one pasted argument", []string{strings.Join(td3, "\n")}, "", 0, map[string]any{"format": "TD3", "valid": true}},
		{"wrong check digit", []string{td3[0], td3[1][:9] + "7" + td3[1][10:]}, "", 1, map[string]any{"valid": false, "document_number": "L898902C3"}},
		{"short line", []string{td3[0], td3[1][:43]}, "", 2, map[string]any{"valid": false, "parse_error": true, "reason": "line_length"}},
		{"lower case", []string{strings.ToLower(td3[0]), td3[1]}, "", 2, map[string]any{"parse_error": true, "reason": "illegal_characters"}},
		{"one line", td3[:1], "", 2, map[string]any{"parse_error": true, "reason": "line_count"}},
		{"empty stdin", nil, "\n \n", 2, map[string]any{"parse_error": true, "reason": "empty"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runMRZ(tc.args, strings.NewReader(tc.stdin), &out, &errOut)
			if code != tc.code || strings.Count(out.String(), "\n") != 1 {
				t.Fatalf("exit %d, want %d; output %q; stderr %q", code, tc.code, out.String(), errOut.String())
			}
			var got map[string]any
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v in %s", k, got[k], v, out.String())
				}
			}
			if code == 1 && len(got["errors"].([]any)) == 0 {
				t.Errorf("invalid without errors: %s", out.String())
			}
			if code == 2 && (got["error"] == "" || got["error"] == nil) {
				t.Errorf("parse error without message: %s", out.String())
			}
		})
	}
}

func TestRunMRZHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		var out, errOut bytes.Buffer
		if code := runMRZ([]string{arg}, strings.NewReader(""), &out, &errOut); code != 0 || !strings.Contains(out.String(), "Usage: relais mrz") {
			t.Errorf("%s: exit %d, output %q", arg, code, out.String())
		}
	}
}
