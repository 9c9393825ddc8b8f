package notice_test

import (
	"slices"
	"testing"

	"github.com/relais/relais/internal/notice"
)

func codes(flags []notice.Flag) []string {
	var out []string
	for _, f := range flags {
		out = append(out, f.Code)
	}
	return out
}

func TestPrecheck(t *testing.T) {
	red := func(charge string, years float64) notice.Data {
		return notice.Data{Type: "red", Subject: &notice.Subject{Name: "Dupont", Forename: "Jean", DateOfBirth: "1979"},
			ArrestWarrants: []notice.Warrant{{IssuingCountry: "FR", Charge: charge, MaxPenaltyYears: years}}}
	}
	cases := []struct {
		name string
		d    notice.Data
		h    notice.History
		want []string
	}{
		{"clean", red("Armed robbery", 20), notice.History{}, nil},
		{"penalty under two years", red("Theft", 1.5), notice.History{}, []string{"penalty_below_threshold"}},
		{"english insult", red("Insulting a public official", 5), notice.History{}, []string{"excluded_matter:insult"}},
		{"french defamation with accents", red("DIFFAMATION publique", 5), notice.History{}, []string{"excluded_matter:defamation"}},
		{"spanish bounced cheque", red("Emisión de cheque sin fondos", 3), notice.History{}, []string{"excluded_matter:debt"}},
		{"arabic adultery with article", red("جريمة الزنا", 3), notice.History{}, []string{"excluded_matter:adultery"}},
		{"arabic bounced cheque", red("إصدار شيك بدون رصيد", 3), notice.History{}, []string{"excluded_matter:debt"}},
		{"blasphemy", red("Blasphemy", 10), notice.History{}, []string{"excluded_matter:religion"}},
		{"ordinary theft is not flagged", red("Theft of a car", 5), notice.History{}, nil},
		{"refused before", red("Armed robbery", 20), notice.History{RefusedBefore: 2}, []string{"refused_before"}},
		{"refugee", notice.Data{Type: "blue", Subject: &notice.Subject{Name: "A", Forename: "B", DateOfBirth: "1990", RefugeeStatus: true}}, notice.History{}, []string{"refugee_status"}},
		{"missing identifiers", notice.Data{Type: "green", Subject: &notice.Subject{Name: "A"}}, notice.History{}, []string{"missing_identifiers", "missing_identifiers"}},
		{"short time left", notice.Data{Type: "red", Subject: &notice.Subject{Name: "A", Forename: "B", DateOfBirth: "1990"},
			Conviction: &notice.Convicted{IssuingCountry: "FR", Charge: "Fraud", SentenceYears: 3, TimeLeftMonths: 4}}, notice.History{}, []string{"sentence_below_threshold"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codes(notice.Precheck(tc.d, tc.h)); !slices.Equal(got, tc.want) {
				t.Fatalf("flags %v, want %v", got, tc.want)
			}
		})
	}
}
