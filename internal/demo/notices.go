package demo

import (
	"context"
	"fmt"

	"github.com/relais/relais/internal/account"
	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
)

// SeedNotices adds a handful of notices in several types and states, and a
// diffusion, on a store that has no notice yet (so a second start changes
// nothing), and says how many notices it added. Every name is fictional.
// The notices go through the real lifecycle, so they carry their audit
// entries and changes like any other.
func SeedNotices(ctx context.Context, accounts *account.Service, notices *notice.Service) (int, error) {
	actor := func(username string) (policy.Actor, error) {
		u, err := accounts.Get(ctx, policy.Console, username)
		if err != nil {
			return policy.Actor{}, fmt.Errorf("demo notices: the %s account: %w", username, err)
		}
		return u.Actor(), nil
	}
	reviewer, err := actor("gs-reviewer")
	if err != nil {
		return 0, err
	}
	if list, _, err := notices.List(ctx, reviewer, notice.Filter{Limit: 1}); err != nil || len(list) > 0 {
		return 0, err
	}
	fr, err := actor("ncb-fr")
	if err != nil {
		return 0, err
	}
	br, err := actor("ncb-br")
	if err != nil {
		return 0, err
	}
	de, err := actor("ncb-de")
	if err != nil {
		return 0, err
	}
	n := 0
	create := func(by policy.Actor, req notice.Request) (notice.Notice, error) {
		created, err := notices.Create(ctx, by, req)
		if err != nil {
			return created, fmt.Errorf("demo notice: %w", err)
		}
		n++
		return created, nil
	}
	publish := func(by policy.Actor, req notice.Request) error {
		created, err := create(by, req)
		if err != nil {
			return err
		}
		if _, err := notices.Submit(ctx, by, created.ID); err != nil {
			return fmt.Errorf("demo notice %s: submit: %w", created.Reference, err)
		}
		if _, err := notices.StartReview(ctx, reviewer, created.ID); err != nil {
			return fmt.Errorf("demo notice %s: review: %w", created.Reference, err)
		}
		checklist := map[string]bool{"art2": true, "art3": true, "identifiers": true}
		if req.Type == notice.Red {
			checklist["serious_offence"] = true
		}
		if _, err := notices.Approve(ctx, reviewer, created.ID, notice.Approval{Checklist: checklist, Comment: "Demonstration data."}); err != nil {
			return fmt.Errorf("demo notice %s: approve: %w", created.Reference, err)
		}
		return nil
	}

	if err := publish(fr, notice.Request{Public: true, ExcludedCountries: []string{}, Data: notice.Data{
		Type: notice.Red,
		Subject: &notice.Subject{Name: "EXEMPLE", Forename: "Maxime", DateOfBirth: "1979-03-14", Sex: "M",
			PlaceOfBirth: "Marseille", CountryOfBirth: "FR", Nationalities: []string{"FR"}, Languages: []string{"FRE", "ENG"},
			HeightCM: 181, WeightKG: 78, Eyes: "BRO", Hair: "BLA", DistinguishingMarks: "Scar above the right eyebrow",
			Aliases: []string{"Max LEXEMPLE"}},
		ArrestWarrants: []notice.Warrant{{IssuingCountry: "FR", Charge: "Vol à main armée en bande organisée",
			ChargeTranslation: "Armed robbery by an organised gang", Reference: "DEMO-2025-0001", Date: "2025-11-03", MaxPenaltyYears: 20}},
	}}); err != nil {
		return n, err
	}
	if err := publish(br, notice.Request{Public: true, ExcludedCountries: []string{}, Data: notice.Data{
		Type:          notice.Yellow,
		Subject:       &notice.Subject{Name: "FICTICIA", Forename: "Luana", DateOfBirth: "2009-06", Sex: "F", Nationalities: []string{"BR"}, MotherName: "FICTICIA", MotherForename: "Rosa"},
		Disappearance: &notice.Event{Date: "2026-01-17", Place: "Recife", Country: "BR", LikelyToVisitCountries: []string{"AR", "PY"}},
	}}); err != nil {
		return n, err
	}
	un, err := create(reviewer, notice.Request{Public: true, Data: notice.Data{
		Type:    notice.UN,
		UN:      &notice.UNInfo{Reference: "QDi.DEMO", Resolution: "1267", Committee: "Security Council Committee (demonstration)"},
		Subject: &notice.Subject{Name: "AL-MITHAL", Forename: "Example", OriginalScriptNames: []string{"مثال"}, DateOfBirth: "1970", Nationalities: []string{"SY"}},
	}})
	if err != nil {
		return n, err
	}
	// The UN notice was requested by gs-reviewer; another GS reviewer must
	// approve it. The demo leaves it under review for a second reviewer.
	if _, err := notices.Submit(ctx, reviewer, un.ID); err != nil {
		return n, fmt.Errorf("demo UN notice: submit: %w", err)
	}
	if _, err := notices.StartReview(ctx, reviewer, un.ID); err != nil {
		return n, fmt.Errorf("demo UN notice: review: %w", err)
	}
	if _, err := create(de, notice.Request{Data: notice.Data{
		Type:        notice.Blue,
		Subject:     &notice.Subject{Name: "BEISPIEL", Forename: "Lukas", DateOfBirth: "1988", Sex: "M", Nationalities: []string{"DE", "AT"}},
		Description: "Believed to travel between Frankfurt and Vienna under false identities; location sought.",
	}}); err != nil {
		return n, err
	}
	green, err := create(fr, notice.Request{Data: notice.Data{
		Type:        notice.Green,
		Subject:     &notice.Subject{Name: "MODELE", Forename: "Claire", DateOfBirth: "1983-11-02", Sex: "F", Nationalities: []string{"FR"}},
		Description: "Repeated investment frauds targeting retirees; may travel to francophone countries.",
	}})
	if err != nil {
		return n, err
	}
	if _, err := notices.Submit(ctx, fr, green.ID); err != nil {
		return n, fmt.Errorf("demo green notice: submit: %w", err)
	}
	if _, err := notices.Send(ctx, de, notice.DiffusionRequest{
		Kind: "wanted", Recipients: []string{"FR", "AT", "CH"},
		Subject:        &notice.Subject{Name: "MUSTERMANN", Forename: "Erika", DateOfBirth: "1975-08-12", Sex: "F", Nationalities: []string{"DE"}},
		ArrestWarrants: []notice.Warrant{{IssuingCountry: "DE", Charge: "Betrug in besonders schwerem Fall", ChargeTranslation: "Aggravated fraud", MaxPenaltyYears: 10}},
	}); err != nil {
		return n, fmt.Errorf("demo diffusion: %w", err)
	}
	return n, nil
}
