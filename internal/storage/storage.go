// Package storage opens relais's store — embedded SQLite by default, PostgreSQL
// when a URL is given — runs the embedded migrations and hands out
// transactions. Domain packages keep their own SQL and write it once, with `?`
// placeholders; the store rewrites them for PostgreSQL.
package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Engine names the database behind a Store.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

//go:embed migrations
var migrations embed.FS

// Options say where the store lives. URL wins over DataDir when both are set.
type Options struct {
	DataDir string // folder of the embedded SQLite database
	URL     string // postgres://... for PostgreSQL
	Logger  *slog.Logger
}

// Store is an open database with its schema migrated.
type Store struct {
	engine Engine
	// read serves queries; write serves transactions. On SQLite, write is a
	// single connection so that writers queue in Go instead of failing with
	// "database is locked"; on PostgreSQL both are the same pool.
	read  *sql.DB
	write *sql.DB
	where string

	rebound sync.Map // query text with ? → query text with $n

	// SQLite: stopCheckpoints ends the background checkpoints (also one
	// waiting for a connection), which then close checkpointsDone
	stopCheckpoints context.CancelFunc
	checkpointsDone chan struct{}
}

// Open opens the store and brings its schema up to date.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s, err := openDB(opts)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx, opts.Logger); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openDB(opts Options) (*Store, error) {
	if opts.URL != "" {
		u, err := url.Parse(opts.URL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("database URL must start with postgres:// (got %q)", redactURL(opts.URL))
		}
		db, err := sql.Open("pgx", opts.URL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connect to postgres at %s: %w", redactURL(opts.URL), err)
		}
		return &Store{engine: Postgres, read: db, write: db, where: redactURL(opts.URL)}, nil
	}
	dir := opts.DataDir
	if dir == "" {
		dir = "relais-data"
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, "relais.db")
	// Commits never copy the write-ahead log into the database themselves
	// (wal_autocheckpoint 0): the commit that filled the log would copy
	// every page it holds and sync the file while its caller waits, a few
	// milliseconds every hundred or so commits, or much more in a bulk
	// import. A goroutine does it in the background (see checkpoint); a
	// log reset after a checkpoint is cut back to journal_size_limit.
	dsn := "file:" + path + "?_txlock=immediate" +
		"&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
		"&_pragma=wal_autocheckpoint(0)&_pragma=journal_size_limit(67108864)"
	// The one write connection gets a page cache large enough to hold the
	// pages a bulk import transaction dirties (index leaves included), so
	// that they are written to the WAL once at commit instead of spilling
	// mid-transaction; the memory is taken only as pages are used.
	write, err := sql.Open("sqlite", dsn+"&_pragma=cache_size(-262144)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	if err := write.Ping(); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Store{engine: SQLite, read: read, write: write, where: path,
		stopCheckpoints: stop, checkpointsDone: make(chan struct{})}
	go s.checkpoint(ctx)
	return s, nil
}

// Migrate applies the embedded migrations that the database lacks.
func (s *Store) Migrate(ctx context.Context, logger *slog.Logger) error {
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, s.write, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", s.where, err)
	}
	if logger != nil {
		for _, r := range results {
			logger.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path)
		}
	}
	return nil
}

// Engine says which database this is.
func (s *Store) Engine() Engine { return s.engine }

// String says where the store is, without credentials.
func (s *Store) String() string { return string(s.engine) + " " + s.where }

// Close closes the connection pools.
func (s *Store) Close() error {
	if s.stopCheckpoints != nil {
		s.stopCheckpoints()
		<-s.checkpointsDone
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// Query runs a read-only query outside any transaction.
func (s *Store) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.read.QueryContext(ctx, s.rebind(query), args...)
}

// QueryRow runs a read-only query that returns at most one row.
func (s *Store) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.read.QueryRowContext(ctx, s.rebind(query), args...)
}

// Exec runs one statement in its own transaction. Writes of police data go
// through the journal instead, which adds the audit entry and change.
func (s *Store) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.write.ExecContext(ctx, s.rebind(query), args...)
}

// Tx is a write transaction.
type Tx struct {
	tx    *sql.Tx
	conn  *sql.Conn // the connection tx runs on, for CopyFrom and clean-up
	store *Store
	// checksIgnored: IgnoreChecks was called and EnforceChecks has not
	// succeeded since; InTx then restores the checks on the connection
	checksIgnored bool
}

// InTx runs fn in one write transaction, committing when fn returns nil and
// rolling back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, conn: conn, store: s}
	defer func() {
		// Rollback ends the transaction when fn panics (after a commit it
		// does nothing), so that the connection can be released.
		_ = sqlTx.Rollback()
		if tx.checksIgnored {
			s.restoreChecks(conn)
		}
		conn.Close()
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Engine says which database the transaction runs on.
func (tx *Tx) Engine() Engine { return tx.store.engine }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, tx.store.rebind(query), args...)
}

// Prepare prepares a statement to run many times in the transaction; the
// caller closes it before the transaction ends.
func (tx *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return tx.tx.PrepareContext(ctx, tx.store.rebind(query))
}

// Query runs a query in the transaction.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.store.rebind(query), args...)
}

// QueryRow runs a query in the transaction that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.store.rebind(query), args...)
}

// CopyFrom writes n rows into the columns of table in the transaction with
// PostgreSQL's COPY, the fast way to write many rows; row(i) gives the
// values of row i, in the order of columns. SQLite has no COPY: there, many
// rows go in multi-row INSERT statements.
func (tx *Tx) CopyFrom(ctx context.Context, table string, columns []string, n int, row func(i int) []any) error {
	if tx.store.engine != Postgres {
		return fmt.Errorf("copy into %s: COPY is PostgreSQL's; use INSERT on %s", table, tx.store.engine)
	}
	return tx.conn.Raw(func(driverConn any) error {
		conn, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: the connection is a %T, not pgx's", table, driverConn)
		}
		i := 0
		copied, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			return row(i - 1), nil
		}))
		if err != nil {
			return fmt.Errorf("copy into %s: %w", table, err)
		}
		if copied != int64(n) {
			return fmt.Errorf("copy into %s: %d rows written of %d", table, copied, n)
		}
		return nil
	})
}

// IgnoreChecks makes SQLite leave CHECK constraints out of the statements
// prepared from now on in the transaction, for bulk inserts whose values
// are checked already; EnforceChecks turns them on again. Should that not
// happen (the transaction was cancelled), InTx does it when the
// transaction ends, so the connection never serves other writers without
// its checks. On PostgreSQL both do nothing.
func (tx *Tx) IgnoreChecks(ctx context.Context) error {
	if tx.store.engine != SQLite {
		return nil
	}
	tx.checksIgnored = true
	if _, err := tx.tx.ExecContext(ctx, "PRAGMA ignore_check_constraints = ON"); err != nil {
		return fmt.Errorf("ignore check constraints: %w", err)
	}
	return nil
}

// EnforceChecks undoes IgnoreChecks.
func (tx *Tx) EnforceChecks(ctx context.Context) error {
	if !tx.checksIgnored {
		return nil
	}
	if _, err := tx.tx.ExecContext(ctx, "PRAGMA ignore_check_constraints = OFF"); err != nil {
		return fmt.Errorf("enforce check constraints: %w", err)
	}
	tx.checksIgnored = false
	return nil
}

// restoreChecks turns CHECK constraints on again on a connection whose
// transaction has ended; a connection where that fails is discarded.
func (s *Store) restoreChecks(conn *sql.Conn) {
	if _, err := conn.ExecContext(context.Background(), "PRAGMA ignore_check_constraints = OFF"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
}

// journalLockKey is the advisory lock that orders journal appends on
// PostgreSQL; any constant shared by all nodes would do.
const journalLockKey = 0x72656c616973 // "relais"

// LockJournal serialises the appends to the audit chain and the change feed
// until the transaction ends, so that sequence numbers become visible in the
// order they were given. SQLite transactions are already serialised.
func (tx *Tx) LockJournal(ctx context.Context) error {
	if tx.store.engine != Postgres {
		return nil
	}
	_, err := tx.tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(journalLockKey))
	if err != nil {
		return fmt.Errorf("lock journal: %w", err)
	}
	return nil
}

// checkpointEvery is how often the write-ahead log is copied into the
// database.
const checkpointEvery = 100 * time.Millisecond

// checkpoint copies the write-ahead log into the database until the store
// closes. A passive checkpoint waits for no one and copies what it can; what
// it cannot (pages a reader may still need) or fails to copy is left to the
// next one. Closing the last connection checkpoints what is left.
func (s *Store) checkpoint(ctx context.Context) {
	defer close(s.checkpointsDone)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_, _ = s.read.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// Rebind rewrites ? placeholders for the store's engine.
func (s *Store) rebind(query string) string {
	if s.engine != Postgres || !strings.Contains(query, "?") {
		return query
	}
	if q, ok := s.rebound.Load(query); ok {
		return q.(string)
	}
	q := rebindDollar(query)
	s.rebound.Store(query, q)
	return q
}

// rebindDollar turns each ? outside quotes into $1, $2, ...
func rebindDollar(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// Now is the store's notion of the current time: UTC, microsecond precision
// (what PostgreSQL keeps), so that values read back equal values written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}
