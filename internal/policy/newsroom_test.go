package policy

import "testing"

func TestNewsroomAndSecondFactorRules(t *testing.T) {
	press := Actor{UserID: 10, Username: "press", Org: GeneralSecretariat, Roles: []Role{Press}}
	ncb := Actor{UserID: 11, Username: "ncb-fr", Org: "FR", Roles: []Role{NCBOfficer}}
	admin := Actor{UserID: 12, Username: "admin", Org: GeneralSecretariat, Roles: []Role{GSAdmin}}
	draft := Resource{Kind: "media_release", ID: "1", State: MediaDraft}
	published := Resource{Kind: "media_release", ID: "1", State: MediaPublished}
	withdrawn := Resource{Kind: "media_release", ID: "1", State: MediaWithdrawn}
	tests := []struct {
		name          string
		actor         Actor
		action        Action
		res           Resource
		allowed, hide bool
	}{
		{"press writes", press, MediaReleaseWrite, draft, true, false},
		{"bureau may not write", ncb, MediaReleaseWrite, draft, false, false},
		{"public may not write", Anonymous, MediaReleaseWrite, draft, false, false},
		{"press publishes", press, MediaReleasePublish, draft, true, false},
		{"administrator may not publish", admin, MediaReleasePublish, draft, false, false},
		{"public reads published", Anonymous, MediaReleaseRead, published, true, false},
		{"public does not see drafts", Anonymous, MediaReleaseRead, draft, false, true},
		{"bureau does not see drafts", ncb, MediaReleaseRead, draft, false, true},
		{"bureau does not see withdrawn", ncb, MediaReleaseRead, withdrawn, false, true},
		{"press reads drafts", press, MediaReleaseRead, draft, true, false},
		{"public lists published", Anonymous, MediaReleaseList, Resource{State: MediaPublished}, true, false},
		{"public may not list drafts", Anonymous, MediaReleaseList, Resource{State: MediaDraft}, false, false},
		{"press lists drafts", press, MediaReleaseList, Resource{State: MediaDraft}, true, false},
		{"own second factor", ncb, UserSecondFactor, Resource{Kind: "user", UserID: 11}, true, false},
		{"another's second factor is hidden", ncb, UserSecondFactor, Resource{Kind: "user", UserID: 10}, false, true},
		{"administrator cannot enrol for another", admin, UserSecondFactor, Resource{Kind: "user", UserID: 11}, false, false},
		{"administrator removes a lost factor", admin, UserSecondFactor, Resource{Kind: "user", UserID: 11, State: SecondFactorRemove}, true, false},
		{"anonymous has no second factor", Anonymous, UserSecondFactor, Resource{Kind: "user"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Can(tt.actor, tt.action, tt.res)
			if d.Allowed != tt.allowed || d.Hidden != tt.hide {
				t.Errorf("Can(%s, %s, %+v) = %+v, want allowed=%v hidden=%v", tt.actor.Username, tt.action, tt.res, d, tt.allowed, tt.hide)
			}
		})
	}
}
