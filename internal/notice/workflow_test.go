package notice_test

import (
	"slices"
	"testing"

	"github.com/relais/relais/internal/notice"
	"github.com/relais/relais/internal/policy"
)

func TestActionsFollowTheWorkflow(t *testing.T) {
	tests := []struct {
		state    string
		allowed  []policy.Action
		refused  []policy.Action
		anything bool
	}{
		{notice.Draft, []policy.Action{policy.NoticeUpdate, policy.NoticeSubmit, policy.NoticeCancel},
			[]policy.Action{policy.NoticeStartReview, policy.NoticeApprove, policy.NoticeWithdraw}, true},
		{notice.Submitted, []policy.Action{policy.NoticeStartReview, policy.NoticeCancel},
			[]policy.Action{policy.NoticeUpdate, policy.NoticeApprove, policy.NoticeSubmit}, true},
		{notice.InReview, []policy.Action{policy.NoticeApprove, policy.NoticeRefuse, policy.NoticeRequestInfo, policy.NoticeCancel},
			[]policy.Action{policy.NoticeUpdate, policy.NoticeSubmit, policy.NoticeWithdraw}, true},
		{notice.InfoRequested, []policy.Action{policy.NoticeUpdate, policy.NoticeSubmit, policy.NoticeCancel},
			[]policy.Action{policy.NoticeApprove, policy.NoticeStartReview}, true},
		{notice.Published, []policy.Action{policy.NoticeUpdate, policy.NoticeWithdraw, policy.NoticeCancel},
			[]policy.Action{policy.NoticeSubmit, policy.NoticeApprove}, true},
		{notice.Refused, nil, []policy.Action{policy.NoticeUpdate, policy.NoticeCancel}, false},
		{notice.Cancelled, nil, []policy.Action{policy.NoticeUpdate, policy.NoticeSubmit}, false},
		{notice.Withdrawn, nil, []policy.Action{policy.NoticeUpdate, policy.NoticeWithdraw}, false},
		{"no-such-state", nil, []policy.Action{policy.NoticeUpdate}, false},
	}
	for _, tt := range tests {
		got := notice.Actions(tt.state)
		if (len(got) > 0) != tt.anything {
			t.Errorf("%s allows %v", tt.state, got)
		}
		for _, a := range tt.allowed {
			if !slices.Contains(got, a) {
				t.Errorf("%s does not allow %s: %v", tt.state, a, got)
			}
		}
		for _, a := range tt.refused {
			if slices.Contains(got, a) {
				t.Errorf("%s allows %s", tt.state, a)
			}
		}
	}
	// The answer is the caller's to change.
	notice.Actions(notice.Draft)[0] = policy.NoticeApprove
	if slices.Contains(notice.Actions(notice.Draft), policy.NoticeApprove) {
		t.Error("changing the answer changed the workflow")
	}
}

func TestChecklistPerType(t *testing.T) {
	for _, typ := range notice.Types() {
		got := notice.Checklist(typ)
		for _, item := range []string{"art2", "art3", "identifiers"} {
			if !slices.Contains(got, item) {
				t.Errorf("%s: no %s in %v", typ, item, got)
			}
		}
		if slices.Contains(got, "serious_offence") != (typ == notice.Red) {
			t.Errorf("%s: %v", typ, got)
		}
	}
}

func TestAboutPerson(t *testing.T) {
	for _, typ := range notice.Types() {
		want := slices.Contains([]notice.Type{notice.Red, notice.Yellow, notice.Blue, notice.Black, notice.Green}, typ)
		if typ.AboutPerson() != want {
			t.Errorf("%s: AboutPerson is %v", typ, !want)
		}
	}
}
