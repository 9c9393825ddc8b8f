package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
)

const importUsage = `Usage: relais import KIND FILE --owner CC [flags]

Imports records of KIND (persons, travel-documents, vehicles, artworks) from
FILE, CSV with a header line or JSON lines (told apart by the extension, else
by the first character), for the owning country CC. FILE - reads standard
input. Records are written in batches, one transaction and one audit entry
each. A line that cannot be imported is reported on standard error with its
line number; the other lines are imported. An interrupted import goes on
where it stopped when run again with the same file and owner.

Exit status: 0 all lines imported, 1 some lines not imported or the import
failed, 2 wrong usage.

Flags:`

func runImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var sf storeFlags
	sf.register(fs)
	owner := fs.String("owner", "", "owning country of the records (ISO 3166-1 alpha-2), required")
	audience := fs.String("audience", "all", "who besides the owner sees records that do not say: all, only:DE,US or except:RU")
	restart := fs.Bool("restart", false, "forget an earlier, interrupted or finished, import of this file and read it all again")
	batch := fs.Int("batch", 100000, "records per transaction")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	var pos []string
	for len(args) > 0 && !strings.HasPrefix(args[0], "-") || len(args) > 0 && args[0] == "-" {
		pos, args = append(pos, args[0]), args[1:]
	}
	if done, code := parseFlags(fs, args, stderr); done {
		return code
	}
	pos = append(pos, fs.Args()...)
	if len(pos) != 2 {
		fs.SetOutput(stderr)
		fs.Usage()
		return 2
	}
	kind, err := records.ParseKind(pos[0])
	if err != nil {
		return fail(stderr, err)
	}
	if *owner == "" {
		fmt.Fprintln(stderr, "relais import: give the owning country with --owner CC")
		return 2
	}
	if *batch < 1 || *batch > 100000 {
		fmt.Fprintln(stderr, "relais import: --batch is from 1 to 100000")
		return 2
	}
	au, err := parseAudience(*audience)
	if err != nil {
		fmt.Fprintln(stderr, "relais import:", err)
		return 2
	}
	ownerCode, err := records.NormalizeOwner(*owner)
	if err != nil {
		return fail(stderr, err)
	}

	var in io.Reader = os.Stdin
	var size int64 = -1
	name := pos[1]
	opt := records.ImportOptions{Kind: kind, Owner: ownerCode, Audience: au, Restart: *restart, BatchSize: *batch, Source: name}
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fail(stderr, fmt.Errorf("open the file to import: %w", err))
		}
		defer f.Close()
		identity, st, err := fileIdentity(f, name)
		if err != nil {
			return fail(stderr, err)
		}
		size = st
		in = f
		opt.Resume = records.ResumeKey(kind, ownerCode, identity)
	}
	br := bufio.NewReaderSize(in, 1<<20)
	head, _ := br.Peek(512)
	opt.Format = records.DetectFormat(name, head)

	a, err := openApp(ctx, sf, nil)
	if err != nil {
		return fail(stderr, err)
	}
	defer a.Close()

	var bar *progressbar.ProgressBar
	if !*quiet {
		bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("importing "+string(kind)), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetWidth(30), progressbar.OptionShowCount())
		opt.OnRead = func(n int) { _ = bar.Add(n) }
	}
	const maxShown = 1000
	shown := 0
	opt.OnLineError = func(le records.LineError) {
		shown++
		if shown > maxShown {
			return
		}
		if bar != nil {
			_ = bar.Clear()
		}
		fmt.Fprintf(stderr, "relais import: %s: %s\n", name, le)
	}
	start := time.Now()
	res, err := a.Records.Import(ctx, policy.Console, br, opt)
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	if shown > maxShown {
		fmt.Fprintf(stderr, "relais import: %d more lines not imported (not shown)\n", shown-maxShown)
	}
	if errors.Is(err, records.ErrAlreadyImported) {
		fmt.Fprintf(stdout, "%s was imported in full for %s already; nothing done (use --restart to import it again)\n", name, ownerCode)
		return 0
	}
	took := time.Since(start)
	if res.ResumedAfter > 0 {
		fmt.Fprintf(stdout, "resumed after line %d (the lines before were imported by an earlier run)\n", res.ResumedAfter)
	}
	rate := float64(res.Imported) / max(took.Seconds(), 1e-9)
	fmt.Fprintf(stdout, "imported %d %s for %s in %s (%.0f per second); %d lines not imported\n",
		res.Imported, kind, ownerCode, took.Round(time.Millisecond), rate, res.Failed)
	if err != nil {
		return fail(stderr, fmt.Errorf("import stopped: %w (run the same command again to go on)", err))
	}
	if res.Failed > 0 {
		return 1
	}
	return 0
}

// fileIdentity names a file for resuming: its absolute path, its size and
// a digest of its first mebibyte, so that another file at the same path is
// not taken for the interrupted one.
func fileIdentity(f *os.File, name string) (string, int64, error) {
	st, err := f.Stat()
	if err != nil {
		return "", 0, fmt.Errorf("read the file to import: %w", err)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, 1<<20)); err != nil {
		return "", 0, fmt.Errorf("read the file to import: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("read the file to import: %w", err)
	}
	return fmt.Sprintf("%s\x00%d\x00%s", abs, st.Size(), hex.EncodeToString(h.Sum(nil))), st.Size(), nil
}

// parseAudience reads all, only:DE,US or except:RU.
func parseAudience(s string) (policy.Audience, error) {
	mode, list, _ := strings.Cut(strings.TrimSpace(s), ":")
	au := policy.Audience{Mode: policy.AudienceMode(strings.ToLower(mode))}
	switch au.Mode {
	case policy.AllMembers:
		if list != "" {
			return au, fmt.Errorf("--audience all lists no countries")
		}
	case policy.OnlyListed, policy.AllButListed:
		for _, c := range strings.Split(list, ",") {
			if c = strings.TrimSpace(c); c != "" {
				au.Countries = append(au.Countries, c)
			}
		}
	default:
		return au, fmt.Errorf("--audience is all, only:CC,CC or except:CC,CC (got %q)", s)
	}
	return au, nil
}
