package policy

// Actions on the police databases (records owned by a country), on
// screening and on the hits that screening records.
const (
	RecordCreate Action = "record.create"
	RecordRead   Action = "record.read"
	RecordUpdate Action = "record.update"
	RecordDelete Action = "record.delete"
	RecordList   Action = "record.list"
	// RecordImport is a bulk load of records for an owner: its bureau, or an
	// administrator loading a national list at the console.
	RecordImport Action = "record.import"
	// RecordReviewDue lists the records whose review date has come, for the
	// retention review; the Resource's Owner is the country whose records are
	// listed, or "" for every country's.
	RecordReviewDue Action = "record.review_due"
	ScreenQuery     Action = "screen.query"
	HitList         Action = "hit.list"
	// HitRead and HitDecide take the hit as a Resource whose Owner is the
	// record's owner and whose Audience lists only the asking country.
	HitRead   Action = "hit.read"
	HitDecide Action = "hit.decide"
)

func init() {
	register(map[Action]rule{
		RecordCreate: ownerBureau("records are entered by an officer of the owning bureau"),
		RecordUpdate: ownerWrite,
		RecordDelete: ownerWrite,
		RecordRead:   recordRead,
		RecordList: func(a Actor, _ Resource) Decision {
			if policeRole(a) {
				return allow("the list shows only the records the actor may read")
			}
			return deny("only police users list records")
		},
		RecordImport: func(a Actor, r Resource) Decision {
			if ImportsForAnyOwner(a) {
				return allow("an administrator loads national lists on behalf of their owner")
			}
			return ownerBureau("records are imported by the owning bureau")(a, r)
		},
		RecordReviewDue: func(a Actor, r Resource) Decision {
			switch {
			case a.IsGS() && a.Has(DPO):
				return allow("the data protection officer runs the retention review of every country's records")
			case a.Has(NCBOfficer) && r.Owner != "" && a.Org == r.Owner:
				return allow("a bureau reviews its own records")
			default:
				return deny("only the data protection officer, and a bureau's officers for its own records, list records due for review")
			}
		},
		ScreenQuery: func(a Actor, _ Resource) Decision {
			if a.Has(Frontline) || a.Has(NCBOfficer) || a.Has(GSAdmin) || a.Has(GSReviewer) {
				return allow("police users screen documents, vehicles and persons")
			}
			return deny("only frontline officers, bureau officers and the General Secretariat screen")
		},
		HitList: func(a Actor, _ Resource) Decision {
			if policeRole(a) {
				return allow("the list shows only the hits of the actor's organisation")
			}
			return deny("only police users see hits")
		},
		HitRead: func(a Actor, r Resource) Decision {
			switch {
			case !policeRole(a):
				return hide("only police users see hits")
			case a.Org == r.Owner:
				return allow("the hit is on a record of the actor's country")
			case r.Audience.Mode == OnlyListed && r.Audience.Includes(a.Org):
				return allow("the actor's country asked the query")
			case a.IsGS() && (a.Has(GSAdmin) || a.Has(DPO)):
				return allow("the General Secretariat oversees hits")
			default:
				return hide("a hit between other countries")
			}
		},
		HitDecide: func(a Actor, r Resource) Decision {
			switch {
			case a.Org == r.Owner && a.Has(NCBOfficer):
				return allow("the owning bureau decides about hits on its records")
			case a.Org == r.Owner || (r.Audience.Mode == OnlyListed && r.Audience.Includes(a.Org)) || (a.IsGS() && policeRole(a)):
				return deny("only an officer of the bureau that owns the record confirms or rejects a hit")
			default:
				return hide("a hit between other countries")
			}
		},
	})
}

// policeRole reports whether the actor works with police data at all: the
// press office does not.
func policeRole(a Actor) bool {
	return a.Has(NCBOfficer) || a.Has(Frontline) || a.Has(GSAdmin) || a.Has(GSReviewer) || a.Has(DPO)
}

// recordRead lets the owner, the General Secretariat's police roles and the
// countries in the record's audience read it; anyone else must not learn
// that it exists.
func recordRead(a Actor, r Resource) Decision {
	switch {
	case !policeRole(a):
		return hide("only police users read records")
	case a.Org == r.Owner:
		return allow("own country's record")
	case a.IsGS():
		return allow("the General Secretariat sees every record")
	case r.Audience.Includes(a.Org):
		return allow("the owner shares the record with the actor's country")
	default:
		return hide("the owner does not share the record with the actor's country")
	}
}

func ownerBureau(reason string) rule {
	return func(a Actor, r Resource) Decision {
		if a.Has(NCBOfficer) && a.Org == r.Owner && r.Owner != "" {
			return allow(reason)
		}
		return deny("only an officer of the bureau of " + orDash(r.Owner) + " enters its records")
	}
}

// ownerWrite allows the owning bureau; another reader is refused openly,
// and someone who may not read the record does not learn it exists.
func ownerWrite(a Actor, r Resource) Decision {
	if a.Has(NCBOfficer) && a.Org == r.Owner {
		return allow("the owning bureau changes its records")
	}
	if d := recordRead(a, r); !d.Allowed {
		return d
	}
	return deny("only the bureau that owns the record changes it")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ImportsForAnyOwner reports whether the actor may bulk-load records owned
// by any country (RecordImport), not only by its own: a form offers the
// choice of owner to these actors only.
func ImportsForAnyOwner(a Actor) bool { return a.Has(GSAdmin) }
