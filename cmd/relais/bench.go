package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/demo"
	"github.com/relais/relais/internal/names"
	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/records"
	"github.com/relais/relais/internal/screening"
	"github.com/relais/relais/internal/server"
	"github.com/relais/relais/internal/storage"
	"github.com/relais/relais/internal/synth"
)

const benchUsage = `Usage: relais bench [flags]

Measures screening speed and memory on synthetic data (package synth:
multilingual persons, name queries with a known answer, travel documents
with each country's number shapes) and prints a table:

  persons    the name index built in process from --persons persons: build
             time, bytes per person, name queries per second on 1 and 2
             goroutines (each on its own half of the queries) with p50/p99,
             recall and false-positive rate;
  documents  --documents travel documents imported into a store (a fresh
             SQLite in a temporary folder, or --db), the engine's index
             loaded from it: bytes per document (heap growth after GC),
             exact checks per second on 1 and 2 goroutines with p50/p99;
  manifest   400 passengers (document and name each) through the engine's
             query path, with the persons imported and followed from the
             change feed;
  http       with --http: a relais HTTP server on loopback over that store,
             checks per second through POST /api/v1/screen in batches;
  pg         with --pg URL: the same persons in PostgreSQL with a pg_trgm
             trigram index, the same name queries, both throughputs.

Every timed phase runs for at most --duration. The data is generated on
the fly; nothing is kept but the indexes under test.

Flags:`

type benchConfig struct {
	documents, persons, enginePersons, queries int
	duration                                   time.Duration
	seed                                       uint64
	httpMode                                   bool
	batch, clients                             int
	pgURL                                      string
	pgPersons                                  int
	cpuProfile                                 string
	sf                                         storeFlags
	out                                        io.Writer
}

func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var c benchConfig
	fs.IntVar(&c.documents, "documents", 10_000_000, "travel documents to import and index (0: skip the document, manifest and http phases)")
	fs.IntVar(&c.persons, "persons", 1_000_000, "persons in the in-process name index (0: skip the persons phase)")
	fs.IntVar(&c.enginePersons, "engine-persons", -1, "persons imported into the store for the manifest and http phases (-1: as --persons)")
	fs.IntVar(&c.queries, "queries", 20_000, "distinct name queries (about 65 % name a listed person)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "time limit of each timed phase")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the synthetic data")
	fs.BoolVar(&c.httpMode, "http", false, "also measure checks through the HTTP API on loopback")
	fs.IntVar(&c.batch, "batch", 1000, "queries per HTTP request")
	fs.IntVar(&c.clients, "clients", 4, "concurrent HTTP clients")
	fs.StringVar(&c.pgURL, "pg", "", "PostgreSQL URL: also run the name queries against a pg_trgm index there")
	fs.IntVar(&c.pgPersons, "pg-persons", -1, "persons loaded into PostgreSQL (-1: as --persons)")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	var data string
	fs.StringVar(&data, "data", "", "folder of the SQLite store to import into (default: a new temporary folder, removed at the end)")
	fs.StringVar(&c.sf.db, "db", "", "PostgreSQL URL of the store to import into instead of SQLite (its tables must be empty)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), benchUsage)
		fs.PrintDefaults()
	}
	if done, code := parseFlags(fs, args, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if c.enginePersons < 0 {
		c.enginePersons = c.persons
	}
	if c.pgPersons < 0 {
		c.pgPersons = c.persons
	}
	switch {
	case c.documents < 0 || c.persons < 0 || c.queries < 1 || c.duration <= 0 || c.batch < 1 || c.clients < 1:
		fmt.Fprintln(stderr, "relais bench: --documents, --persons must be ≥ 0; --queries, --duration, --batch, --clients > 0")
		return 2
	case c.documents > maxBenchDocuments:
		fmt.Fprintf(stderr, "relais bench: --documents is at most %d\n", maxBenchDocuments)
		return 2
	case c.batch > screening.MaxBatch:
		fmt.Fprintf(stderr, "relais bench: --batch is at most %d, the API's limit\n", screening.MaxBatch)
		return 2
	}
	if c.documents > 0 && c.sf.db == "" {
		c.sf.data = data
		if data == "" {
			dir, err := os.MkdirTemp("", "relais-bench-")
			if err != nil {
				return fail(stderr, fmt.Errorf("make a temporary store folder: %w", err))
			}
			defer os.RemoveAll(dir)
			c.sf.data = dir
		}
	}
	c.out = stdout
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return fail(stderr, fmt.Errorf("create the CPU profile: %w", err))
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail(stderr, fmt.Errorf("start the CPU profile: %w", err))
		}
		defer pprof.StopCPUProfile()
	}
	b := &bench{cfg: c, log: stderr}
	if err := b.run(ctx); err != nil {
		b.print()
		return fail(stderr, err)
	}
	b.print()
	return 0
}

// maxBenchDocuments leaves the generator's last documents unlisted: the
// checks of documents nobody reported take them.
const maxBenchDocuments = synth.MaxDocuments - 1<<25

type bench struct {
	cfg  benchConfig
	log  io.Writer
	rows [][3]string // phase, measure, value
	// name-query outcomes of the in-process index, by query, for the
	// side-by-side comparison with PostgreSQL
	queries []synth.Query
	found   []bool
}

func (b *bench) add(phase, measure, format string, a ...any) {
	b.rows = append(b.rows, [3]string{phase, measure, fmt.Sprintf(format, a...)})
	fmt.Fprintf(b.log, "  %-10s %-42s %s\n", phase, measure, fmt.Sprintf(format, a...))
}

func (b *bench) logf(format string, a ...any) {
	fmt.Fprintf(b.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
}

func (b *bench) print() {
	fmt.Fprintln(b.cfg.out)
	fmt.Fprintf(b.cfg.out, "relais bench: %d documents, %d persons, %d name queries, seed %d, GOMAXPROCS %d, %s\n",
		b.cfg.documents, b.cfg.persons, b.cfg.queries, b.cfg.seed, runtime.GOMAXPROCS(0), runtime.Version())
	tw := tabwriter.NewWriter(b.cfg.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PHASE\tMEASURE\tVALUE")
	for _, r := range b.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r[0], r[1], r[2])
	}
	tw.Flush()
}

func (b *bench) run(ctx context.Context) error {
	g := synth.New(b.cfg.seed)
	b.queries = make([]synth.Query, b.cfg.queries)
	for j := range b.queries {
		b.queries[j] = g.Query(j, max(b.cfg.persons, 1))
	}
	if b.cfg.persons > 0 {
		if err := b.personsPhase(ctx, g); err != nil {
			return err
		}
	}
	if b.cfg.pgURL != "" && b.cfg.pgPersons > 0 {
		if err := b.pgPhase(ctx, g); err != nil {
			return err
		}
	}
	if b.cfg.documents > 0 {
		if err := b.storePhases(ctx, g); err != nil {
			return err
		}
	}
	return nil
}

// heap returns the live heap after a full collection.
func heap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// latencies is a log-linear histogram of durations: 16 buckets per power
// of two, so a quantile is read to about 6 %.
type latencies struct {
	counts [64 * 16]uint64
	n      uint64
}

func (l *latencies) add(d time.Duration) {
	ns := uint64(max(d, 1))
	e := bits.Len64(ns) - 1
	var m uint64
	if e >= 4 {
		m = ns >> (e - 4) & 15
	} else {
		m = ns << (4 - e) & 15
	}
	l.counts[e*16+int(m)]++
	l.n++
}

func (l *latencies) merge(o *latencies) {
	for i, c := range o.counts {
		l.counts[i] += c
	}
	l.n += o.n
}

// quantile returns the upper edge of the bucket holding quantile q.
func (l *latencies) quantile(q float64) time.Duration {
	want := uint64(q * float64(l.n))
	var seen uint64
	for i, c := range l.counts {
		seen += c
		if seen > want {
			e, m := i/16, uint64(i%16)
			return time.Duration((16 + m + 1) << e >> 4)
		}
	}
	return 0
}

func (l *latencies) String() string {
	return fmt.Sprintf("p50 %s, p99 %s", fmtDur(l.quantile(0.5)), fmtDur(l.quantile(0.99)))
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.1fµs", float64(d)/1e3)
	default:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	}
}

// hammer runs work on n goroutines until the duration ends or every
// goroutine's work says it is done; work(w, i) does the i-th operation of
// goroutine w and returns false when it has nothing left.
func hammer(ctx context.Context, n int, d time.Duration, work func(w, i int) bool) (ops uint64, took time.Duration, lat latencies) {
	deadline := time.Now().Add(d)
	hs := make([]latencies, n)
	var total atomic.Uint64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			h := &hs[w]
			for i := 0; ; i++ {
				if i&255 == 0 && (time.Now().After(deadline) || ctx.Err() != nil) {
					break
				}
				t0 := time.Now()
				if !work(w, i) {
					break
				}
				h.add(time.Since(t0))
			}
			total.Add(h.n)
		})
	}
	wg.Wait()
	took = time.Since(start)
	for i := range hs {
		lat.merge(&hs[i])
	}
	return total.Load(), took, lat
}

func perSecond(n uint64, d time.Duration) string {
	return fmt.Sprintf("%s/s", thousands(uint64(float64(n)/d.Seconds())))
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// personsPhase builds the name index in process and runs the queries.
func (b *bench) personsPhase(ctx context.Context, g *synth.Generator) error {
	n := b.cfg.persons
	b.logf("persons: preparing and indexing %d persons", n)
	before := heap()
	start := time.Now()
	ix := names.NewIndex()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				p := g.Person(i)
				ix.Add(names.Prepare(names.Person{ID: p.ID, Name: p.Name, Aliases: p.Aliases, BirthDate: deref(p.BirthDate), Nationality: p.Nationality, Sex: p.Sex}))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	took := time.Since(start)
	after := heap()
	b.add("persons", "index build", "%d persons in %s (%s)", n, took.Round(time.Millisecond), perSecond(uint64(n), took))
	b.add("persons", "heap per person", "%d bytes (%.0f MiB)", (after-before)/uint64(n), float64(after-before)/(1<<20))

	qs := make([]names.Query, len(b.queries))
	for j, q := range b.queries {
		qs[j] = names.Query{Name: q.Name, BirthDate: deref(q.BirthDate), Nationality: deref(q.Nationality)}
	}
	b.found = make([]bool, len(qs))
	answered := make([]atomic.Bool, len(qs))
	// each phase asks its own half of the queries: the parts a query finds
	// are remembered (names.Index), and asking the same queries again
	// would find them all remembered, which a stream of new queries does
	// not
	half := (len(qs) + 1) / 2
	for phase, workers := range []int{1, 2} {
		from, to := phase*half, min((phase+1)*half, len(qs))
		var cursor atomic.Int64
		ops, took, lat := hammer(ctx, workers, b.cfg.duration, func(_, _ int) bool {
			j := from + int(cursor.Add(1)-1)
			if j >= to {
				return false
			}
			hits := ix.Search(qs[j], 10)
			b.found[j] = outcome(b.queries[j], hits)
			answered[j].Store(true)
			return true
		})
		b.add("persons", fmt.Sprintf("name queries, %d goroutine(s)", workers), "%s (%d queries), %s", perSecond(ops, took), ops, &lat)
	}
	if st := ix.SearchStats(); st.Searches > 0 {
		b.add("persons", "persons read / compared per query", "%d / %d", st.Read/st.Searches, st.Compared/st.Searches)
	}
	r := b.recall(func(j int) (bool, bool) { return answered[j].Load(), b.found[j] })
	b.add("persons", "relais recall / false-positive rate", "%s", r)
	runtime.KeepAlive(ix)
	return nil
}

// outcome reports whether a query was answered right: a positive query
// finds its person among the matches, a negative one finds no match.
func outcome(q synth.Query, hits []names.Hit) bool {
	for _, h := range hits {
		if !h.Result.Match {
			continue
		}
		if q.Expect == "" {
			return false
		}
		if h.ID == q.Expect {
			return true
		}
	}
	return q.Expect == ""
}

type recallStats struct {
	pos, found, neg, fp int
	byKind              map[string][2]int
}

func (r recallStats) String() string {
	kinds := make([]string, 0, len(r.byKind))
	for k := range r.byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var parts []string
	for _, k := range kinds {
		v := r.byKind[k]
		if strings.HasPrefix(k, "neg-") {
			parts = append(parts, fmt.Sprintf("%s FPR %.3f", k, ratio(v[1]-v[0], v[1])))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %.2f", k, ratio(v[0], v[1])))
	}
	return fmt.Sprintf("recall %.3f (%d/%d), FPR %.3f (%d/%d); %s", ratio(r.found, r.pos), r.found, r.pos, ratio(r.fp, r.neg), r.fp, r.neg, strings.Join(parts, ", "))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// recall scores the queries that were answered; at(j) says whether query
// j was answered and whether rightly.
func (b *bench) recall(at func(j int) (answered, right bool)) recallStats {
	r := recallStats{byKind: map[string][2]int{}}
	for j, q := range b.queries {
		answered, right := at(j)
		if !answered {
			continue
		}
		v := r.byKind[q.Kind]
		if q.Expect == "" {
			r.neg++
			v[1]++
			if right {
				v[0]++
			} else {
				r.fp++
			}
			r.byKind[q.Kind] = v
			continue
		}
		r.pos++
		v[1]++
		if right {
			r.found++
			v[0]++
		}
		r.byKind[q.Kind] = v
	}
	return r
}

// pgPhase loads the persons into PostgreSQL with a trigram index and runs
// the same queries: what a team would build without a name matcher.
func (b *bench) pgPhase(ctx context.Context, g *synth.Generator) error {
	n := b.cfg.pgPersons
	conn, err := pgx.Connect(ctx, b.cfg.pgURL)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL for the comparison: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, q := range []string{
		"CREATE EXTENSION IF NOT EXISTS pg_trgm",
		"DROP TABLE IF EXISTS relais_bench_names",
		"CREATE UNLOGGED TABLE relais_bench_names (person_id TEXT NOT NULL, name TEXT NOT NULL)",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("prepare the PostgreSQL comparison (%s): %w", q, err)
		}
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS relais_bench_names")
	}()
	b.logf("pg: loading %d persons", n)
	start := time.Now()
	i := 0
	var pending [][]any
	rows, err := conn.CopyFrom(ctx, pgx.Identifier{"relais_bench_names"}, []string{"person_id", "name"}, pgx.CopyFromFunc(func() ([]any, error) {
		for len(pending) == 0 {
			if i >= n {
				return nil, nil
			}
			p := g.Person(i)
			i++
			pending = append(pending, []any{p.ID, p.Name})
			for _, a := range p.Aliases {
				pending = append(pending, []any{p.ID, a})
			}
		}
		row := pending[0]
		pending = pending[1:]
		return row, nil
	}))
	if err != nil {
		return fmt.Errorf("load persons into PostgreSQL: %w", err)
	}
	loaded := time.Since(start)
	start = time.Now()
	if _, err := conn.Exec(ctx, "CREATE INDEX relais_bench_names_trgm ON relais_bench_names USING gin (name gin_trgm_ops)"); err != nil {
		return fmt.Errorf("build the trigram index: %w", err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE relais_bench_names"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	b.add("pg", "load + trigram index", "%d names of %d persons: copy %s, index %s", rows, n, loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	const workers = 2
	conns := []*pgx.Conn{conn}
	for range workers - 1 {
		c2, err := pgx.Connect(ctx, b.cfg.pgURL)
		if err != nil {
			return fmt.Errorf("connect to PostgreSQL: %w", err)
		}
		defer c2.Close(context.WithoutCancel(ctx))
		conns = append(conns, c2)
	}
	const search = `SELECT person_id FROM relais_bench_names WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 20`
	right := make([]bool, len(b.queries))
	answered := make([]bool, len(b.queries))
	var cursor atomic.Int64
	var qerr error
	var emu sync.Mutex
	ops, took, lat := hammer(ctx, workers, b.cfg.duration, func(w, _ int) bool {
		j := int(cursor.Add(1) - 1)
		if j >= len(b.queries) {
			return false
		}
		q := b.queries[j]
		rs, err := conns[w].Query(ctx, search, q.Name)
		if err != nil {
			emu.Lock()
			qerr = err
			emu.Unlock()
			return false
		}
		ids, err := pgx.CollectRows(rs, pgx.RowTo[string])
		if err != nil {
			emu.Lock()
			qerr = err
			emu.Unlock()
			return false
		}
		// the % operator is the trigram index's match: a positive is
		// found when its person is among the results, a negative is
		// right when there is none
		right[j] = q.Expect == "" && len(ids) == 0 || q.Expect != "" && slices.Contains(ids, q.Expect)
		answered[j] = true
		return true
	})
	if qerr != nil && ctx.Err() == nil {
		return fmt.Errorf("query PostgreSQL: %w", qerr)
	}
	b.add("pg", fmt.Sprintf("name queries, %d connections", workers), "%s (%d queries), %s", perSecond(ops, took), ops, &lat)
	pgR := b.recall(func(j int) (bool, bool) { return answered[j], right[j] })
	b.add("pg", "pg_trgm recall / false-positive rate", "%s", pgR)
	if b.found != nil {
		// relais on exactly the queries PostgreSQL answered
		same := b.recall(func(j int) (bool, bool) { return answered[j], b.found[j] })
		b.add("pg", "relais on the same queries", "%s", same)
		for _, r := range b.rows {
			if r[0] == "persons" && r[1] == "name queries, 2 goroutine(s)" {
				var relaisQPS float64
				fmt.Sscanf(strings.ReplaceAll(r[2], ",", ""), "%f/s", &relaisQPS)
				pgQPS := float64(ops) / took.Seconds()
				if pgQPS > 0 {
					b.add("pg", "throughput ratio relais / pg_trgm", "%.1f×", relaisQPS/pgQPS)
				}
			}
		}
	}
	return nil
}

// storePhases imports documents and persons into a store and measures the
// engine: its document index, a manifest through its query path and,
// with --http, the API.
func (b *bench) storePhases(ctx context.Context, g *synth.Generator) error {
	a, err := app.Open(ctx, storage.Options{DataDir: b.cfg.sf.data, URL: b.cfg.sf.db}, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	n := b.cfg.documents
	b.logf("documents: importing %d documents into %s", n, a.Store.String())
	start := time.Now()
	res, err := a.Records.Import(ctx, policy.Console, generate(ctx, n, func(i int, buf []byte) []byte {
		return g.Document(i).AppendJSON(buf)
	}), records.ImportOptions{Kind: records.TravelDocuments, Format: records.JSONLines, Owner: "FR", BatchSize: 20000})
	if err != nil {
		return fmt.Errorf("import the documents: %w", err)
	}
	took := time.Since(start)
	b.add("documents", "import into "+storeKind(b.cfg.sf), "%d in %s (%s)", res.Imported, took.Round(time.Millisecond), perSecond(uint64(res.Imported), took))

	b.logf("documents: loading the engine's indexes")
	before := heap()
	start = time.Now()
	seq, err := a.Screening.Load(ctx)
	if err != nil {
		return err
	}
	took = time.Since(start)
	after := heap()
	st := a.Screening.Stats()
	b.add("documents", "index load from the store", "%d documents in %s", st.Documents, took.Round(time.Millisecond))
	b.add("documents", "heap per document (after GC)", "%.1f bytes (%.0f MiB); index's own count %.1f bytes",
		float64(after-before)/float64(n), float64(after-before)/(1<<20), float64(st.DocumentBytes)/float64(n))

	// half the checks ask about listed documents, half about others
	const nq = 1 << 20
	type check struct{ country, number string }
	checks := make([]check, nq)
	for k := range checks {
		d := g.AbsentDocument(k)
		if k%2 == 0 {
			d = g.Document(int(uint64(k) * 0x9E3779B97F4A7C15 % uint64(n)))
		}
		checks[k] = check{d.IssuingCountry, d.Number}
	}
	officer := policy.Actor{UserID: -1, Username: "bench@DE", Org: "DE", Roles: []policy.Role{policy.Frontline}}
	var wrong atomic.Int64
	for _, workers := range []int{1, 2} {
		ops, took, lat := hammer(ctx, workers, b.cfg.duration, func(w, i int) bool {
			k := (i*workers + w) & (nq - 1)
			c := checks[k]
			// an unlisted document may share its number with one of
			// another country (a match shown, not flagged): only a listed
			// document not found is wrong
			if got := a.Screening.CheckDocument(officer, c.country, c.number); got == 0 && k%2 == 0 {
				wrong.Add(1)
			}
			return true
		})
		b.add("documents", fmt.Sprintf("exact checks, %d goroutine(s)", workers), "%s (%d checks), %s", perSecond(ops, took), ops, &lat)
	}
	if w := wrong.Load(); w > 0 {
		b.add("documents", "WRONG ANSWERS", "%d checks", w)
	}
	checks = nil

	// the engine follows the change feed, as a serving node does
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	var fwg sync.WaitGroup
	defer fwg.Wait()
	defer stop()
	fwg.Go(func() {
		if err := a.Screening.Follow(fctx, seq); err != nil && fctx.Err() == nil {
			b.logf("the change feed stopped: %v", err)
		}
	})
	if np := b.cfg.enginePersons; np > 0 {
		b.logf("manifest: importing %d persons and following them from the change feed", np)
		start = time.Now()
		res, err := a.Records.Import(ctx, policy.Console, generate(ctx, np, func(i int, buf []byte) []byte {
			line, _ := json.Marshal(g.Person(i)) // plain strings always encode
			return append(buf, line...)
		}), records.ImportOptions{Kind: records.Persons, Format: records.JSONLines, Owner: "FR", BatchSize: 5000})
		if err != nil {
			return fmt.Errorf("import the persons: %w", err)
		}
		imported := time.Since(start)
		if err := a.Screening.Sync(ctx); err != nil {
			return err
		}
		b.add("manifest", "persons imported, then in the engine", "%d: import %s, in the index after %s", res.Imported,
			imported.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	}
	if err := b.manifest(ctx, a, g, officer); err != nil {
		return err
	}
	if b.cfg.httpMode {
		return b.httpPhase(ctx, a, g)
	}
	return nil
}

func storeKind(sf storeFlags) string {
	if sf.db != "" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// generate streams n JSON lines made by line, without keeping them.
func generate(ctx context.Context, n int, line func(i int, buf []byte) []byte) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 0, 1<<16)
		for i := range n {
			buf = append(line(i, buf), '\n')
			if len(buf) > 60<<10 || i == n-1 {
				if _, err := pw.Write(buf); err != nil {
					return
				}
				buf = buf[:0]
			}
			if i&4095 == 0 && ctx.Err() != nil {
				pw.CloseWithError(ctx.Err())
				return
			}
		}
		pw.Close()
	}()
	return pr
}

// passengers makes a manifest: every passenger gives a document and a
// name; about one in fifty is listed.
func passengers(g *synth.Generator, round, documents, persons int) []screening.Item {
	items := make([]screening.Item, 400)
	for k := range items {
		j := round*400 + k
		d := g.AbsentDocument(j)
		listed := j%50 == 7
		if listed {
			d = g.Document(j * 7919 % documents)
		}
		name := ""
		var birth *string
		if listed && persons > 0 {
			p := g.Person(j * 104729 % persons)
			name, birth = p.Name, p.BirthDate
		} else {
			q := g.Query(1<<30+j, 0) // names nobody listed
			name, birth = q.Name, q.BirthDate
		}
		country := d.IssuingCountry
		items[k].Query = screening.Query{QID: fmt.Sprintf("p%d", k), Name: name, BirthDate: birth, DocumentNumber: d.Number, IssuingCountry: &country}
	}
	return items
}

func (b *bench) manifest(ctx context.Context, a *app.App, g *synth.Generator, officer policy.Actor) error {
	var lat latencies
	var count, matched int
	deadline := time.Now().Add(b.cfg.duration)
	for round := 0; time.Now().Before(deadline) && round < 200; round++ {
		items := passengers(g, round, b.cfg.documents, b.cfg.enginePersons)
		t0 := time.Now()
		answers, err := a.Screening.Screen(ctx, officer, items)
		if err != nil {
			return fmt.Errorf("screen a manifest: %w", err)
		}
		lat.add(time.Since(t0))
		count++
		for _, an := range answers {
			if an.Error != nil {
				return fmt.Errorf("manifest query %s: %s", an.QID, an.Error.Message)
			}
			for _, m := range an.Matches {
				if m.Match {
					matched++
				}
			}
		}
	}
	b.add("manifest", "400 passengers (document + name)", "%d manifests, %s; %d matches (hits recorded)", count, &lat, matched)
	return nil
}

// httpPhase serves the store's relais on loopback and sends manifests of
// document checks through POST /api/v1/screen.
func (b *bench) httpPhase(ctx context.Context, a *app.App, g *synth.Generator) error {
	password := "bench-" + fmt.Sprint(time.Now().UnixNano())
	if _, err := demo.Seed(ctx, a.Accounts, password); err != nil {
		return err
	}
	_, secret, err := a.Accounts.CreateToken(ctx, policy.Console, "border-de", "bench", time.Hour)
	if err != nil {
		return fmt.Errorf("make a token for border-de: %w", err)
	}
	srv := server.New(server.Config{Addr: "127.0.0.1:0", Store: a.Store, Readiness: a.Readiness, Logger: a.Logger, Mount: a.Mount})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen on loopback: %w", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	url := "http://" + ln.Addr().String() + "/api/v1/screen"

	// request bodies made in advance: one listed document in a hundred
	const bodies = 64
	reqs := make([][]byte, bodies)
	for r := range reqs {
		qs := make([]screening.Query, b.cfg.batch)
		for k := range qs {
			j := r*b.cfg.batch + k
			d := g.AbsentDocument(1<<24 + j)
			if j%100 == 3 {
				d = g.Document(j * 7919 % b.cfg.documents)
			}
			country := d.IssuingCountry
			qs[k] = screening.Query{QID: fmt.Sprint(k), DocumentNumber: d.Number, IssuingCountry: &country}
		}
		reqs[r], _ = json.Marshal(qs) // plain strings always encode
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: b.cfg.clients}, Timeout: time.Minute}
	// a buffer per client for the answers: the load generator shares the
	// cores and the collector with the server
	answers := make([]bytes.Buffer, b.cfg.clients)
	var herr atomic.Value
	ops, took, lat := hammer(ctx, b.cfg.clients, b.cfg.duration, func(w, i int) bool {
		req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(reqs[(i*b.cfg.clients+w)%bodies]))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			herr.Store(err)
			return false
		}
		body := &answers[w]
		body.Reset()
		_, err = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			herr.Store(fmt.Errorf("POST /api/v1/screen: %d %s %v", resp.StatusCode, body.Bytes()[:min(body.Len(), 300)], err))
			return false
		}
		return true
	})
	if e, ok := herr.Load().(error); ok && !errors.Is(e, context.Canceled) {
		return e
	}
	checks := ops * uint64(b.cfg.batch)
	b.add("http", fmt.Sprintf("POST /api/v1/screen, %d per batch, %d clients", b.cfg.batch, b.cfg.clients),
		"%s (%d batches); per batch %s", perSecond(checks, took), ops, &lat)
	return nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
