package notice

import (
	"slices"
	"strings"

	"github.com/relais/relais/internal/policy"
)

// stateActions are the steps of the workflow each state allows, whoever
// takes them; policy decides who may. A state without entry (refused,
// cancelled, withdrawn) is closed.
var stateActions = map[string][]policy.Action{
	Draft:         {policy.NoticeUpdate, policy.NoticeSubmit, policy.NoticeCancel},
	Submitted:     {policy.NoticeStartReview, policy.NoticeCancel},
	InReview:      {policy.NoticeRequestInfo, policy.NoticeApprove, policy.NoticeRefuse, policy.NoticeCancel},
	InfoRequested: {policy.NoticeUpdate, policy.NoticeSubmit, policy.NoticeCancel},
	Published:     {policy.NoticeUpdate, policy.NoticeCancel, policy.NoticeWithdraw},
}

// Actions lists the steps a notice in state allows: changing it
// (policy.NoticeUpdate) and the transitions of the review workflow.
func Actions(state string) []policy.Action { return slices.Clone(stateActions[state]) }

// allows reports whether a notice in state allows act.
func allows(state string, act policy.Action) bool { return slices.Contains(stateActions[state], act) }

// statesAllowing lists, in workflow order, the states that allow act, for
// the message refusing it in another state.
func statesAllowing(act policy.Action) string {
	var out []string
	for _, s := range []string{Draft, Submitted, InReview, InfoRequested, Published} {
		if allows(s, act) {
			out = append(out, s)
		}
	}
	return strings.Join(out, " or ")
}

// checklistItems are what a reviewer confirms for every notice.
var checklistItems = []string{"art2", "art3", "identifiers"}

// Checklist lists what a reviewer confirms before approving a notice of
// type t: for every type, Articles 2 and 3 of the Constitution and enough
// identifiers; for a red notice also a serious ordinary-law offence above
// the thresholds, with a valid warrant or judgment.
func Checklist(t Type) []string {
	items := slices.Clone(checklistItems)
	if t == Red {
		items = append(items, "serious_offence")
	}
	return items
}
