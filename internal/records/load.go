package records

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/relais/relais/internal/policy"
	"github.com/relais/relais/internal/storage"
)

// The functions below read records for in-memory indexes: the system's own
// reads, with no actor, no policy and no audit entry. What the indexes
// answer is filtered by policy and audited when someone asks.

// DocumentRow is a travel document as the screening index needs it.
type DocumentRow struct {
	ID                   int64
	Owner                string
	Audience             policy.Audience
	Number               string
	IssuingCountry       string
	Type, Status         string
	SerialFrom, SerialTo string
}

// VehicleRow is a vehicle as the screening index needs it.
type VehicleRow struct {
	ID       int64
	Owner    string
	Audience policy.Audience
	VIN      string
}

// MaxID returns the highest id of a kind with numeric ids (0 when empty).
func MaxID(ctx context.Context, store *storage.Store, kind Kind) (int64, error) {
	var n int64
	if err := store.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+specs[kind].table).Scan(&n); err != nil {
		return 0, fmt.Errorf("read the highest %s id: %w", specs[kind].change, err)
	}
	return n, nil
}

// EachDocument calls fn with every travel document whose id is in [lo, hi],
// in id order. fn must not keep the row.
func EachDocument(ctx context.Context, store *storage.Store, lo, hi int64, fn func(*DocumentRow) error) error {
	rows, err := store.Query(ctx, `SELECT id, owner, audience_mode, audience_countries, number, issuing_country,
		doc_type, status, COALESCE(serial_from, ''), COALESCE(serial_to, '')
		FROM travel_documents WHERE id >= ? AND id <= ? ORDER BY id`, lo, hi)
	if err != nil {
		return fmt.Errorf("read travel documents %d-%d: %w", lo, hi, err)
	}
	defer rows.Close()
	var d DocumentRow
	var mode, countries string
	for rows.Next() {
		if err := rows.Scan(&d.ID, &d.Owner, &mode, &countries, &d.Number, &d.IssuingCountry, &d.Type, &d.Status, &d.SerialFrom, &d.SerialTo); err != nil {
			return fmt.Errorf("read travel document: %w", err)
		}
		d.Audience = policy.Audience{Mode: policy.AudienceMode(mode), Countries: splitCountries(countries)}
		if err := fn(&d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachVehicle calls fn with every vehicle whose id is in [lo, hi], in id order.
func EachVehicle(ctx context.Context, store *storage.Store, lo, hi int64, fn func(*VehicleRow) error) error {
	rows, err := store.Query(ctx, `SELECT id, owner, audience_mode, audience_countries, vin
		FROM vehicles WHERE id >= ? AND id <= ? ORDER BY id`, lo, hi)
	if err != nil {
		return fmt.Errorf("read vehicles %d-%d: %w", lo, hi, err)
	}
	defer rows.Close()
	var v VehicleRow
	var mode, countries string
	for rows.Next() {
		if err := rows.Scan(&v.ID, &v.Owner, &mode, &countries, &v.VIN); err != nil {
			return fmt.Errorf("read vehicle: %w", err)
		}
		v.Audience = policy.Audience{Mode: policy.AudienceMode(mode), Countries: splitCountries(countries)}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return rows.Err()
}

const personCols = "id, owner, audience_mode, audience_countries, name, aliases, COALESCE(birth_date, ''), COALESCE(nationality, ''), COALESCE(sex, '')"

// PersonRow is a person as the screening index needs it.
type PersonRow struct {
	ID          string
	Owner       string
	Audience    policy.Audience
	Name        string
	Aliases     []string
	BirthDate   string
	Nationality string
	Sex         string
}

func scanPerson(r interface{ Scan(...any) error }) (PersonRow, error) {
	var p PersonRow
	var mode, countries, aliases string
	if err := r.Scan(&p.ID, &p.Owner, &mode, &countries, &p.Name, &aliases, &p.BirthDate, &p.Nationality, &p.Sex); err != nil {
		return p, fmt.Errorf("read person: %w", err)
	}
	p.Audience = policy.Audience{Mode: policy.AudienceMode(mode), Countries: splitCountries(countries)}
	if aliases != "" && aliases != "[]" {
		if err := json.Unmarshal([]byte(aliases), &p.Aliases); err != nil {
			return p, fmt.Errorf("read aliases of person %s: %w", p.ID, err)
		}
	}
	return p, nil
}

// EachPerson calls fn with every person, in id order.
func EachPerson(ctx context.Context, store *storage.Store, fn func(PersonRow) error) error {
	rows, err := store.Query(ctx, "SELECT "+personCols+" FROM persons ORDER BY id")
	if err != nil {
		return fmt.Errorf("read persons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GetPerson reads one person; ok is false when there is none.
func GetPerson(ctx context.Context, store *storage.Store, id string) (p PersonRow, ok bool, err error) {
	rows, err := store.Query(ctx, "SELECT "+personCols+" FROM persons WHERE id = ?", id)
	if err != nil {
		return p, false, fmt.Errorf("read person %s: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return p, false, rows.Err()
	}
	p, err = scanPerson(rows)
	return p, err == nil, err
}

// SplitCountries reads an audience's country list as stored.
func SplitCountries(s string) []string { return splitCountries(strings.TrimSpace(s)) }
