package policy_test

import (
	"slices"
	"testing"

	"github.com/relais/relais/internal/policy"
)

func TestNoticeRules(t *testing.T) {
	var (
		ncbDE     = policy.Actor{UserID: 6, Username: "ncb-de", Org: "DE", Roles: []policy.Role{policy.NCBOfficer}}
		ncbJP     = policy.Actor{UserID: 7, Username: "ncb-jp", Org: "JP", Roles: []policy.Role{policy.NCBOfficer}}
		reviewer2 = policy.Actor{UserID: 8, Username: "gs-reviewer-2", Org: "GS", Roles: []policy.Role{policy.GSReviewer}}
		press     = policy.Actor{UserID: 9, Username: "press", Org: "GS", Roles: []policy.Role{policy.Press}}
	)
	frNotice := func(state string) policy.Resource {
		return policy.Resource{Kind: "notice", Owner: "FR", State: state, UserID: ncbFR.UserID,
			Audience: policy.Audience{Mode: policy.AllButListed, Countries: []string{"JP"}}}
	}
	unNotice := policy.Resource{Kind: "notice", Owner: "GS", State: policy.NoticeInReview, UserID: reviewer.UserID}
	diffusion := policy.Resource{Kind: "diffusion", Owner: "FR", Audience: policy.Audience{Mode: policy.OnlyListed, Countries: []string{"DE"}}}
	cases := []struct {
		name    string
		actor   policy.Actor
		action  policy.Action
		res     policy.Resource
		allowed bool
		hidden  bool
	}{
		{"bureau creates its notice", ncbFR, policy.NoticeCreate, policy.Resource{Owner: "FR"}, true, false},
		{"bureau may not create for another", ncbFR, policy.NoticeCreate, policy.Resource{Owner: "DE"}, false, false},
		{"bureau may not create a UN notice", ncbFR, policy.NoticeCreate, policy.Resource{Owner: "GS"}, false, false},
		{"reviewer creates a UN notice", reviewer, policy.NoticeCreate, policy.Resource{Owner: "GS"}, true, false},
		{"frontline may not create", borderDE, policy.NoticeCreate, policy.Resource{Owner: "DE"}, false, false},
		{"owner reads its draft", ncbFR, policy.NoticeRead, frNotice(policy.NoticeDraft), true, false},
		{"another bureau cannot know a draft", ncbDE, policy.NoticeRead, frNotice(policy.NoticeDraft), false, true},
		{"reviewer cannot see a draft", reviewer, policy.NoticeRead, frNotice(policy.NoticeDraft), false, true},
		{"reviewer reads a submitted request", reviewer, policy.NoticeRead, frNotice(policy.NoticeSubmitted), true, false},
		{"another bureau cannot see a request in review", ncbDE, policy.NoticeRead, frNotice(policy.NoticeInReview), false, true},
		{"member reads a published notice", ncbDE, policy.NoticeRead, frNotice(policy.NoticePublished), true, false},
		{"frontline reads a published notice", borderDE, policy.NoticeRead, frNotice(policy.NoticePublished), true, false},
		{"excluded country cannot know it", ncbJP, policy.NoticeRead, frNotice(policy.NoticePublished), false, true},
		{"press does not see notices", press, policy.NoticeRead, frNotice(policy.NoticePublished), false, true},
		{"dpo reads a published notice", dpo, policy.NoticeRead, frNotice(policy.NoticePublished), true, false},
		{"owner reads the review record", ncbFR, policy.NoticeReadReview, frNotice(policy.NoticeRefused), true, false},
		{"member does not read the review record", ncbDE, policy.NoticeReadReview, frNotice(policy.NoticePublished), false, false},
		{"owner submits", ncbFR, policy.NoticeSubmit, frNotice(policy.NoticeDraft), true, false},
		{"another bureau submitting a draft is hidden", ncbDE, policy.NoticeSubmit, frNotice(policy.NoticeDraft), false, true},
		{"member may not update a published notice", ncbDE, policy.NoticeUpdate, frNotice(policy.NoticePublished), false, false},
		{"reviewer starts review", reviewer, policy.NoticeStartReview, frNotice(policy.NoticeSubmitted), true, false},
		{"owner may not start review", ncbFR, policy.NoticeStartReview, frNotice(policy.NoticeSubmitted), false, false},
		{"reviewer approves", reviewer, policy.NoticeApprove, frNotice(policy.NoticeInReview), true, false},
		{"owner may not approve its request", ncbFR, policy.NoticeApprove, frNotice(policy.NoticeInReview), false, false},
		{"creator may not approve a UN notice", reviewer, policy.NoticeApprove, unNotice, false, false},
		{"another reviewer approves a UN notice", reviewer2, policy.NoticeApprove, unNotice, true, false},
		{"admin may not approve", admin, policy.NoticeApprove, frNotice(policy.NoticeInReview), false, false},
		{"owner cancels", ncbFR, policy.NoticeCancel, frNotice(policy.NoticePublished), true, false},
		{"reviewer withdraws", reviewer, policy.NoticeWithdraw, frNotice(policy.NoticePublished), true, false},
		{"owner may not withdraw", ncbFR, policy.NoticeWithdraw, frNotice(policy.NoticePublished), false, false},
		{"dpo lists review due", dpo, policy.NoticeReviewDue, policy.Resource{}, true, false},
		{"bureau may not list review due", ncbFR, policy.NoticeReviewDue, policy.Resource{}, false, false},
		{"press may not list notices", press, policy.NoticeList, policy.Resource{}, false, false},
		{"bureau sends a diffusion", ncbFR, policy.DiffusionSend, policy.Resource{Owner: "FR"}, true, false},
		{"frontline may not send a diffusion", borderDE, policy.DiffusionSend, policy.Resource{Owner: "DE"}, false, false},
		{"recipient reads a diffusion", ncbDE, policy.DiffusionRead, diffusion, true, false},
		{"non-recipient cannot know a diffusion", ncbJP, policy.DiffusionRead, diffusion, false, true},
		{"GS oversees diffusions", reviewer, policy.DiffusionRead, diffusion, true, false},
		{"frontline of a recipient does not read diffusions", borderDE, policy.DiffusionRead, diffusion, false, true},
		{"sender turns it into a notice", ncbFR, policy.DiffusionToNotice, diffusion, true, false},
		{"recipient may not turn it into a notice", ncbDE, policy.DiffusionToNotice, diffusion, false, false},
		{"anonymous reads nothing", nobody, policy.NoticeRead, frNotice(policy.NoticePublished), false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := policy.Can(tc.actor, tc.action, tc.res)
			if d.Allowed != tc.allowed || d.Hidden != tc.hidden {
				t.Fatalf("Can(%s, %s) = %+v, want allowed=%v hidden=%v", tc.actor.Username, tc.action, d, tc.allowed, tc.hidden)
			}
			if d.Reason == "" {
				t.Error("every decision must give a reason")
			}
		})
	}
}

// TestDiffusionScopeIsWhatReadAllows: a list narrowed in its query to an
// actor's scope must hold exactly the diffusions diffusion.read lets the
// actor see, or its pages would show hidden diffusions or miss visible ones.
func TestDiffusionScopeIsWhatReadAllows(t *testing.T) {
	ncbDE := policy.Actor{UserID: 6, Username: "ncb-de", Org: "DE", Roles: []policy.Role{policy.NCBOfficer}}
	gsOfficer := policy.Actor{UserID: 7, Username: "gs-officer", Org: "GS", Roles: []policy.Role{policy.NCBOfficer, policy.GSReviewer}}
	actors := []struct {
		actor policy.Actor
		want  policy.DiffusionScope
	}{
		{ncbFR, policy.DiffusionScope{Country: "FR"}},
		{ncbDE, policy.DiffusionScope{Country: "DE"}},
		{reviewer, policy.DiffusionScope{Every: true}},
		{dpo, policy.DiffusionScope{Every: true}},
		{gsOfficer, policy.DiffusionScope{Every: true, Country: "GS"}},
		{admin, policy.DiffusionScope{}},
		{borderDE, policy.DiffusionScope{}},
		{nobody, policy.DiffusionScope{}},
	}
	only := func(c ...string) policy.Audience { return policy.Audience{Mode: policy.OnlyListed, Countries: c} }
	diffusions := []policy.Resource{
		{Kind: "diffusion", Owner: "FR", Audience: only("DE")},
		{Kind: "diffusion", Owner: "FR", Audience: only("JP", "US")},
		{Kind: "diffusion", Owner: "DE", Audience: only("FR")},
		{Kind: "diffusion", Owner: "US", Audience: only("*")},
		{Kind: "diffusion", Owner: "GS", Audience: only("BR")},
	}
	// inScope is how a list query reads the scope.
	inScope := func(s policy.DiffusionScope, r policy.Resource) bool {
		if s.Every {
			return true
		}
		if s.Country == "" {
			return false
		}
		return r.Owner == s.Country || slices.Contains(r.Audience.Countries, s.Country) || slices.Contains(r.Audience.Countries, "*")
	}
	for _, a := range actors {
		t.Run(a.actor.Username, func(t *testing.T) {
			got := policy.DiffusionScopeOf(a.actor)
			if got != a.want {
				t.Fatalf("DiffusionScopeOf = %+v, want %+v", got, a.want)
			}
			for _, r := range diffusions {
				if read := policy.Can(a.actor, policy.DiffusionRead, r).Allowed; read != inScope(got, r) {
					t.Errorf("diffusion from %s to %v: read allowed %v, in scope %v", r.Owner, r.Audience.Countries, read, inScope(got, r))
				}
			}
		})
	}
}
