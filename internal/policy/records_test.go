package policy

import "testing"

func TestRecordRules(t *testing.T) {
	fr := Actor{UserID: 1, Username: "ncb-fr", Org: "FR", Roles: []Role{NCBOfficer}}
	de := Actor{UserID: 2, Username: "ncb-de", Org: "DE", Roles: []Role{NCBOfficer}}
	us := Actor{UserID: 3, Username: "ncb-us", Org: "US", Roles: []Role{NCBOfficer}}
	borderFR := Actor{UserID: 4, Username: "border-fr", Org: "FR", Roles: []Role{Frontline}}
	admin := Actor{UserID: 5, Username: "admin", Org: "GS", Roles: []Role{GSAdmin}}
	press := Actor{UserID: 6, Username: "press", Org: "GS", Roles: []Role{Press}}
	dpo := Actor{UserID: 7, Username: "dpo", Org: "GS", Roles: []Role{DPO}}

	all := Resource{Kind: "person", ID: "P-1", Owner: "FR"}
	onlyDE := Resource{Kind: "person", ID: "P-2", Owner: "FR", Audience: Audience{Mode: OnlyListed, Countries: []string{"DE"}}}
	exceptDE := Resource{Kind: "person", ID: "P-3", Owner: "FR", Audience: Audience{Mode: AllButListed, Countries: []string{"DE"}}}
	// A hit on a French record asked by Germany.
	hit := Resource{Kind: "hit", ID: "1", Owner: "FR", Audience: Audience{Mode: OnlyListed, Countries: []string{"DE"}}}

	const (
		allowed = "allowed"
		denied  = "denied"
		hidden  = "hidden"
	)
	cases := []struct {
		name string
		a    Actor
		act  Action
		r    Resource
		want string
	}{
		{"owner creates", fr, RecordCreate, all, allowed},
		{"other bureau cannot create for FR", de, RecordCreate, all, denied},
		{"frontline cannot create", borderFR, RecordCreate, all, denied},
		{"admin cannot create through the API", admin, RecordCreate, all, denied},
		{"admin imports for a country", admin, RecordImport, all, allowed},
		{"owner imports", fr, RecordImport, all, allowed},
		{"other bureau cannot import for FR", de, RecordImport, all, denied},
		{"owner reads", fr, RecordRead, onlyDE, allowed},
		{"frontline of owner reads", borderFR, RecordRead, onlyDE, allowed},
		{"listed country reads", de, RecordRead, onlyDE, allowed},
		{"unlisted country sees nothing", us, RecordRead, onlyDE, hidden},
		{"excluded country sees nothing", de, RecordRead, exceptDE, hidden},
		{"not excluded country reads", us, RecordRead, exceptDE, allowed},
		{"GS reads", admin, RecordRead, onlyDE, allowed},
		{"press sees nothing", press, RecordRead, all, hidden},
		{"owner updates", fr, RecordUpdate, onlyDE, allowed},
		{"reader may not update", de, RecordUpdate, onlyDE, denied},
		{"outsider update is hidden", us, RecordUpdate, onlyDE, hidden},
		{"frontline of owner may not delete", borderFR, RecordDelete, all, denied},
		{"outsider delete is hidden", de, RecordDelete, exceptDE, hidden},
		{"police lists", borderFR, RecordList, all, allowed},
		{"press does not list", press, RecordList, all, denied},
		{"dpo lists every country's records due for review", dpo, RecordReviewDue, Resource{}, allowed},
		{"dpo lists one country's records due for review", dpo, RecordReviewDue, Resource{Owner: "FR"}, allowed},
		{"bureau lists its own records due for review", fr, RecordReviewDue, Resource{Owner: "FR"}, allowed},
		{"bureau may not list another country's", fr, RecordReviewDue, Resource{Owner: "DE"}, denied},
		{"bureau may not list every country's", fr, RecordReviewDue, Resource{}, denied},
		{"frontline does not list records due for review", borderFR, RecordReviewDue, Resource{Owner: "FR"}, denied},
		{"admin does not run the retention review", admin, RecordReviewDue, Resource{}, denied},
		{"frontline screens", borderFR, ScreenQuery, Resource{}, allowed},
		{"press does not screen", press, ScreenQuery, Resource{}, denied},
		{"owner sees hit", fr, HitRead, hit, allowed},
		{"asker sees hit", de, HitRead, hit, allowed},
		{"third country does not see hit", us, HitRead, hit, hidden},
		{"owner decides", fr, HitDecide, hit, allowed},
		{"asker may not decide", de, HitDecide, hit, denied},
		{"owner frontline may not decide", borderFR, HitDecide, hit, denied},
		{"third country decide hidden", us, HitDecide, hit, hidden},
		{"anonymous cannot read", Anonymous, RecordRead, all, denied},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Can(c.a, c.act, c.r)
			got := denied
			switch {
			case d.Allowed:
				got = allowed
			case d.Hidden:
				got = hidden
			}
			if got != c.want {
				t.Fatalf("%s %s on %+v: %s (%s), want %s", c.a.Username, c.act, c.r, got, d.Reason, c.want)
			}
		})
	}
}
