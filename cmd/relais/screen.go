package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
)

const screenUsage = `Usage: relais screen FILE.jsonl [flags]

Screens the queries of FILE (one JSON object per line; - reads standard
input) against the store's travel documents, vehicles and persons and
writes one JSON line per query, in order:
  {"qid":...,"matches":[{"id","score","match","kind","owner",...}]}
or {"qid":...,"error":{"code","message"}} for a query that cannot be read.
Queries: {"qid","name","birth_date","nationality"}, {"qid","document_number",
"issuing_country"}, {"qid","vin"}, {"qid","mrz":[LINE,...]}. The file may be
of any size. Matches are recorded as hits.

By default the console operator asks and sees every record; --as USER asks
as that account, --org CC as an officer of that country.

Flags:`

func runScreen(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	as := fs.String("as", "", "screen as this user (sees what the user's country may see)")
	org := fs.String("org", "", "screen as an officer of this country")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), screenUsage)
		fs.PrintDefaults()
	}
	var pos []string
	for len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-") {
		pos, args = append(pos, args[0]), args[1:]
	}
	if done, code := parseFlags(fs, args, stderr); done {
		return code
	}
	pos = append(pos, fs.Args()...)
	if len(pos) != 1 {
		fs.SetOutput(stderr)
		fs.Usage()
		return 2
	}
	if *as != "" && *org != "" {
		fmt.Fprintln(stderr, "relais screen: give --as or --org, not both")
		return 2
	}
	in := stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fail(stderr, fmt.Errorf("open the queries: %w", err))
		}
		defer f.Close()
		in = f
	}

	a, err := openApp(ctx, sf, nil)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()
	actor := policy.Console
	switch {
	case *as != "":
		u, err := a.Accounts.Get(ctx, policy.Console, *as)
		if err != nil {
			return fail(stderr, err)
		}
		if u.Disabled {
			return fail(stderr, fmt.Errorf("the account %s is disabled", u.Username))
		}
		actor = u.Actor()
	case *org != "":
		code, err := records.NormalizeOwner(*org)
		if err != nil {
			return fail(stderr, err)
		}
		actor = policy.Actor{UserID: -1, Username: "console@" + code, Org: code, Roles: []policy.Role{policy.NCBOfficer}}
	}
	if _, err := a.Screening.Load(ctx); err != nil {
		return fail(stderr, err)
	}
	return screenStream(ctx, a.Screening, actor, in, stdout, stderr)
}

// screenStream answers the queries of in, a batch at a time so that the
// hits of a batch are written together, keeping the output in input order.
func screenStream(ctx context.Context, e *screening.Engine, actor policy.Actor, in io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	br := bufio.NewReaderSize(in, 1<<20)
	items := make([]screening.Item, 0, screening.MaxBatch)
	flush := func() error {
		if len(items) == 0 {
			return nil
		}
		answers, err := e.Screen(ctx, actor, items)
		if err != nil {
			return err
		}
		for _, a := range answers {
			if err := enc.Encode(a); err != nil {
				return fmt.Errorf("write answers: %w", err)
			}
		}
		items = items[:0]
		return nil
	}
	line := 0
	for {
		raw, err := readLine(br, screening.MaxQueryBytes)
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		var it screening.Item
		switch {
		case errors.Is(err, errLineTooLong):
			it.Err = &screening.ItemError{Code: "query_too_large", Message: fmt.Sprintf("line %d is longer than %d bytes", line, screening.MaxQueryBytes)}
		case err != nil:
			return fail(stderr, fmt.Errorf("read line %d: %w", line, err))
		case len(strings.TrimSpace(string(raw))) == 0:
			continue
		default:
			it.Query, it.Err = screening.ParseQuery(raw)
		}
		items = append(items, it)
		if len(items) == screening.MaxBatch {
			if err := flush(); err != nil {
				return fail(stderr, err)
			}
		}
	}
	if err := flush(); err != nil {
		return fail(stderr, err)
	}
	if err := out.Flush(); err != nil {
		return fail(stderr, fmt.Errorf("write answers: %w", err))
	}
	return 0
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line without its end; a line longer than max is
// skipped to its end and reported as errLineTooLong.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			buf = append(buf, chunk...)
			if len(buf) > max+2 {
				long, buf = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (!errors.Is(err, io.EOF) || (len(buf) == 0 && !long && len(chunk) == 0)) {
			return nil, err
		}
		if long {
			return nil, errLineTooLong
		}
		if n := len(buf); n > 0 && buf[n-1] == '\n' {
			buf = buf[:n-1]
		}
		if n := len(buf); n > 0 && buf[n-1] == '\r' {
			buf = buf[:n-1]
		}
		return buf, nil
	}
}
